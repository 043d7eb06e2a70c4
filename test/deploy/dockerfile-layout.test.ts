/**
 * deploy/docker/Dockerfile, exercised without a Docker engine: its own COPY/RUN/WORKDIR/CMD lines are
 * read and executed into a temporary folder standing for the image's file system (the pnpm store
 * on this machine is warm, and the install runs --offline as in the image), then the service is
 * started from there exactly as CMD says and probed with the image's HEALTHCHECK.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { freePort } from "@orderly/testkit/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execForm, parseDockerfile, splitFlags } from "./support/dockerfile.ts";
import { buildImageLayout, DOCKERFILE, type ImageLayout, listFiles } from "./support/image-layout.ts";
import { readRepoFile, SERVICES } from "./support/repo.ts";

/**
 * The service started from the layout. The layout is the same for all four; fulfillment has
 * migrations, a peer and a background relay, so it exercises the most at start and stop.
 */
const STARTED_SERVICE = "fulfillment";
/** Where distroless keeps node; this machine's Node 24 stands for it when the layout is started. */
const NODE_IN_IMAGE = "/nodejs/bin/node";

const pnpmVersion = execFileSync("pnpm", ["--version"], { encoding: "utf8" }).trim();
const packageManager = (JSON.parse(readRepoFile("package.json")) as { packageManager: string })
  .packageManager;

describe("the Dockerfile", () => {
  const dockerfile = parseDockerfile(readRepoFile(DOCKERFILE));
  const runtime = dockerfile.stages.at(-1);

  it("when the image is built, then it installs the pnpm that package.json pins", () => {
    const build = dockerfile.stages.find((stage) => stage.name === "build");
    const pinned = build?.instructions.find((i) => i.keyword === "ARG" && i.args.startsWith("PNPM_VERSION="));
    expect(`pnpm@${pinned?.args.split("=")[1]}`).toBe(packageManager);
  });

  it("when the container runs, then node itself is PID 1 (exec-form ENTRYPOINT + CMD, no shell, no package manager)", () => {
    const last = (keyword: string) => runtime?.instructions.filter((i) => i.keyword === keyword).at(-1);
    const command = [
      ...(execForm(last("ENTRYPOINT")?.args ?? "") ?? []),
      ...(execForm(last("CMD")?.args ?? "") ?? []),
    ];
    expect(command[0]).toBe(NODE_IN_IMAGE);
    // What `pnpm build` made in the build stage (test/build checks that file's telemetry).
    expect(command.slice(1)).toEqual(["--import", "./dist/register.mjs", "dist/main.mjs"]);
    expect(command.join(" ")).not.toMatch(/\b(sh|bash|pnpm|npm)\b/);
  });

  it("when the image is built, then the runtime is distroless Node, matching the build stage's Node major", () => {
    expect(runtime?.base).toMatch(/^gcr\.io\/distroless\/nodejs\$\{NODE_VERSION\}-debian12:nonroot$/);
    expect(dockerfile.stages.find((stage) => stage.name === "build")?.base).toMatch(
      /^node:\$\{NODE_VERSION\}-slim$/,
    );
  });

  it("when the container runs, then it runs as a numeric non-root user and probes itself with an exec-form HEALTHCHECK", () => {
    const user = runtime?.instructions.filter((i) => i.keyword === "USER").at(-1)?.args ?? "";
    expect(user).toMatch(/^[1-9][0-9]*(:[0-9]+)?$/);
    const healthcheck = runtime?.instructions.find((i) => i.keyword === "HEALTHCHECK");
    const { flags, rest } = splitFlags(healthcheck?.args ?? "");
    expect(rest.startsWith("CMD [")).toBe(true);
    expect(Object.keys(flags)).toEqual(expect.arrayContaining(["interval", "timeout", "start-period"]));
  });

  it("when the image is built, then no OTEL_* setting is baked in (telemetry is configured by the environment)", () => {
    const env = runtime?.instructions.filter((i) => i.keyword === "ENV").map((i) => i.args) ?? [];
    expect(env.join(" ")).not.toMatch(/OTEL_/);
  });
});

/** One image folder per service, built on first use and shared by the suites below. */
const images = new Map<string, ImageLayout>();

function imageFor(service: string): ImageLayout {
  let layout = images.get(service);
  if (!layout) {
    const root = mkdtempSync(join(tmpdir(), `orderly-image-${service}-`));
    // Readable by the image's non-root user when the service is started as that user.
    chmodSync(root, 0o755);
    layout = buildImageLayout({ buildArgs: { SERVICE: service }, root, pnpmVersion });
    images.set(service, layout);
  }
  return layout;
}

afterAll(() => {
  for (const layout of images.values()) rmSync(layout.root, { recursive: true, force: true });
});

describe.each(SERVICES)("the %s image, built into a folder by the Dockerfile's own steps", (service) => {
  let layout: ImageLayout;

  beforeAll(() => {
    layout = imageFor(service);
  }, 180_000);

  it("when the service starts, then @orderly/kit and @orderly/contracts load from sources outside node_modules (Node strips types there)", () => {
    const fromService = createRequire(join(layout.workdir, "package.json"));
    for (const specifier of [
      "@orderly/kit/tracing/register",
      "@orderly/kit/service",
      "@orderly/contracts/common",
    ]) {
      const resolved = realpathSync(fromService.resolve(specifier));
      expect(resolved.startsWith(layout.toHost("/app/packages/"))).toBe(true);
      expect(resolved).not.toContain("/node_modules/");
    }
  });

  it("when the image is inspected, then it holds production dependencies only and no tests", () => {
    const store = readdirNames(layout.toHost("/app/node_modules/.pnpm"));
    for (const devOnly of ["typescript@", "vitest@", "@biomejs+biome@", "@bufbuild+buf@", "rolldown@"]) {
      expect(store.filter((name) => name.startsWith(devOnly))).toEqual([]);
    }
    expect(existsSync(layout.toHost("/app/packages/testkit"))).toBe(false);
    expect(existsSync(layout.toHost("/app/packages/build"))).toBe(false);
    expect(existsSync(layout.toHost(`/app/services/${service}/dist/main.mjs`))).toBe(true);
    expect(existsSync(layout.toHost(`/app/services/${service}/dist/register.mjs`))).toBe(true);
    const sources = listFiles(layout.toHost("/app"), (path) => path.endsWith("node_modules"));
    expect(sources.filter((path) => path.endsWith(".test.ts") || /(^|\/)test\//.test(path))).toEqual([]);
    expect(sources).toContain(`services/${service}/package.json`);
    expect(sources.some((path) => path.startsWith(`services/${service}/migrations/`))).toBe(true);
  });

  it("when the image is inspected, then only this service is in it", () => {
    expect(readdirNames(layout.toHost("/app/services"))).toEqual([service]);
    expect(layout.workdir).toBe(layout.toHost(`/app/services/${service}`));
  });
});

describe(`the ${STARTED_SERVICE} image, started as its CMD says`, () => {
  let layout: ImageLayout;
  let child: ChildProcess | undefined;
  let exited: Promise<number | string>;
  const output: string[] = [];
  let env: Record<string, string>;
  let httpPort: number;

  beforeAll(async () => {
    layout = imageFor(STARTED_SERVICE);
    // Outside /app, like a volume: the image's files stay read-only to its user.
    const dataDir = join(layout.root, "data");
    mkdirSync(dataDir);
    const runAs = imageUser(layout.user);
    if (runAs) chownSync(dataDir, runAs.uid, runAs.gid);
    httpPort = await freePort();
    env = {
      // node from this machine's Node 24 stands for the image's; nothing else leaks in.
      PATH: [dirname(process.execPath), "/usr/local/bin", "/usr/bin", "/bin"].join(delimiter),
      ...layout.env,
      HTTP_PORT: String(httpPort),
      GRPC_PORT: String(await freePort()),
      DATABASE_URL: `pglite:${dataDir}`,
      // Static discovery instead of Consul; nothing listens there, which start-up does not need.
      ORDER_GRPC_ADDR: "127.0.0.1:1",
      INVENTORY_GRPC_ADDR: "127.0.0.1:1",
      INVOICE_GRPC_ADDR: "127.0.0.1:1",
      FULFILLMENT_GRPC_ADDR: "127.0.0.1:1",
      SERVICE_ADDRESS: "127.0.0.1",
      // The image's start-up is under test, not the token gate (a deployment supplies AUTH_*).
      AUTH_DISABLED: "true",
    };
    const [command, ...args] = layout.cmd.map((part) => mapPath(layout, part));
    child = spawn(command ?? "node", args, {
      cwd: layout.workdir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(runAs ?? {}),
    });
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    exited = new Promise((resolve) =>
      child?.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
    );
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });

  it("when it has started, then GET /health/ready answers 200, the image's HEALTHCHECK passes, and SIGTERM ends it with exit code 0", async () => {
    const ready = await waitForReady(`http://127.0.0.1:${httpPort}/health/ready`, exited, 150_000);
    expect(ready, `service did not become ready:\n${output.join("")}`).toBe(200);

    expect(runHealthcheck(layout, env)).toBe(0);

    child?.kill("SIGTERM");
    expect(await exited, output.join("")).toBe(0);
    expect(output.join("")).toContain(`"${STARTED_SERVICE} stopped"`);

    // Stopped: the same HEALTHCHECK now reports unhealthy.
    expect(runHealthcheck(layout, env)).toBe(1);
  }, 200_000);
});

function readdirNames(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

/** A container path inside the image's root stands for the same path under the layout folder. */
function mapPath(layout: ImageLayout, part: string): string {
  if (part === NODE_IN_IMAGE) return process.execPath;
  return part.startsWith("/") && existsSync(layout.toHost(part)) ? layout.toHost(part) : part;
}

/** The image's USER, applied when this process may switch to it (root); otherwise runs as we are. */
function imageUser(user: string | undefined): { uid: number; gid: number } | undefined {
  if (!user || process.getuid?.() !== 0) return undefined;
  const [uid, gid] = user.split(":").map(Number);
  if (uid === undefined || Number.isNaN(uid)) return undefined;
  return { uid, gid: gid ?? uid };
}

function runHealthcheck(layout: ImageLayout, env: Record<string, string>): number {
  const [command, ...args] = layout.healthcheck.map((part) => mapPath(layout, part));
  try {
    execFileSync(command ?? "node", args, {
      cwd: layout.workdir,
      env,
      stdio: "pipe",
      ...(imageUser(layout.user) ?? {}),
    });
    return 0;
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}

/** Polls until the URL answers 200, the process exits, or the deadline passes; returns the last status. */
async function waitForReady(url: string, exited: Promise<unknown>, deadlineMs: number): Promise<number> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + deadlineMs;
  let status = 0;
  while (!gone && Date.now() < deadline) {
    status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return status;
}
