/**
 * `pnpm build`'s output, run as production runs it (`node --import ./dist/register.mjs
 * dist/main.mjs` from the service folder, deploy/docker/Dockerfile's CMD): it starts, serves HTTP
 * and gRPC, and telemetry still works although the application's dependencies are bundled: the
 * module hooks patch pg and @grpc/grpc-js, and HTTP, gRPC and pg spans are exported (console
 * exporter, every trace sampled).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { InventoryService } from "@orderly/contracts/inventory";
import { createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from "@orderly/testkit/db";
import { freePort } from "@orderly/testkit/net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = join(import.meta.dirname, "../..");
const serviceDir = join(repoRoot, "services", "inventory");

/** A W3C parent the test sends with its gRPC call; the service's server span must continue it. */
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN_ID = "00f067aa0ba902b7";

interface ExportedSpan {
  scope: string;
  traceId: string;
  name: string;
}

beforeAll(() => {
  execFileSync(process.execPath, [join(repoRoot, "packages", "build", "src", "build.ts"), "inventory"], {
    cwd: repoRoot,
    stdio: "pipe",
  });
}, 120_000);

describe.each(testDatabaseKinds())("the built inventory service on %s", (kind) => {
  let database: TestDatabase;
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let output = "";
  let httpPort: number;
  let grpcPort: number;
  let stoppedWith: number | null;

  beforeAll(async () => {
    database = await createTestDatabase(kind, "built_inventory");
    httpPort = await freePort();
    grpcPort = await freePort();
    child = spawn(process.execPath, ["--import", "./dist/register.mjs", "dist/main.mjs"], {
      cwd: serviceDir,
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: database.url,
        HTTP_HOST: "127.0.0.1",
        GRPC_HOST: "127.0.0.1",
        HTTP_PORT: String(httpPort),
        GRPC_PORT: String(grpcPort),
        SERVICE_ADDRESS: "127.0.0.1",
        SHUTDOWN_PROPAGATION_DELAY_MS: "0",
        // The bundle's start-up and telemetry are under test, not the token gate.
        AUTH_DISABLED: "true",
        OTEL_TRACES_EXPORTER: "console",
        OTEL_TRACES_SAMPLER: "always_on",
        // The instrumentations then say which modules their hooks patched.
        OTEL_LOG_LEVEL: "debug",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    await waitFor(
      () => output.includes('"inventory serving"'),
      exited,
      60_000,
      () => output,
    );
    // Dependency checks run in the background: /health answers 503 until their first round is in.
    let healthy = false;
    const poll = setInterval(() => {
      void fetch(`http://127.0.0.1:${httpPort}/health`).then(
        (response) => {
          healthy ||= response.status === 200;
        },
        () => undefined,
      );
    }, 100);
    await waitFor(
      () => healthy,
      exited,
      30_000,
      () => output,
    ).finally(() => clearInterval(poll));

    expect((await fetch(`http://127.0.0.1:${httpPort}/health`)).status).toBe(200);
    // A route that reads the database: a fastify server span with pg spans under it.
    expect((await fetch(`http://127.0.0.1:${httpPort}/v1/items/NO-SUCH-SKU`)).status).toBe(404);
    const log = createLogger({
      service: "built-service-test",
      version: "0",
      instance: "test",
      level: "silent",
    });
    const client = createGrpcClient(InventoryService, {
      target: `127.0.0.1:${grpcPort}`,
      peer: "inventory",
      log,
      metrics: createMetrics({ service: "built-service-test", version: "0", collectDefault: false }),
      retry: false,
    });
    try {
      await expect(
        client.getItem(
          { sku: "NO-SUCH-SKU" },
          { metadata: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` } },
        ),
      ).rejects.toMatchObject({ codeName: "NOT_FOUND", reason: "ITEM_NOT_FOUND" });
    } finally {
      client.close();
    }
    // Stopping flushes the exporter and disables the instrumentations, which names what they patched.
    child.kill("SIGTERM");
    stoppedWith = await exited;
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    await database?.drop();
  });

  it("when it has served and been stopped, then it exited 0 after saying it stopped", () => {
    expect(stoppedWith, output).toBe(0);
    expect(output).toContain('"inventory stopped"');
  });

  it("when it starts, then the module hooks patch @grpc/grpc-js (the bundle imports it by name)", () => {
    expect(output).toMatch(/instrumentation-grpc .*\{ module: '@grpc\/grpc-js', version: '[0-9.]+' \}/);
  });

  it("when an HTTP request is served, then its server span is exported", () => {
    expect(exportedSpans(output)).toContainEqual(
      expect.objectContaining({ scope: "@fastify/otel", name: "request" }),
    );
  });

  it("when a gRPC call with a traceparent is served, then its server span continues the caller's trace", () => {
    expect(exportedSpans(output)).toContainEqual({
      scope: "@orderly/kit",
      traceId: TRACE_ID,
      name: "grpc.orderly.inventory.v1.InventoryService/GetItem",
    });
  });

  it.runIf(kind === "postgres")(
    "when a request reads PostgreSQL, then pg is patched and its query spans are exported",
    () => {
      expect(output).toMatch(/instrumentation-pg .*\{ module: 'pg', version: '[0-9.]+' \}/);
      const pgSpans = exportedSpans(output).filter(
        (span) => span.scope === "@opentelemetry/instrumentation-pg",
      );
      expect(pgSpans.map((span) => span.name)).toContainEqual(expect.stringMatching(/^pg\.query:SELECT/));
    },
  );
});

/** The spans ConsoleSpanExporter printed (util.inspect of each span, one object per span). */
function exportedSpans(text: string): ExportedSpan[] {
  const spans: ExportedSpan[] = [];
  // The scope prints on one line or, with a version, on several; the span's own keys are indented by 2.
  const pattern =
    /instrumentationScope: \{\s*name: '([^']+)'[\s\S]*?\n {2}traceId: '([0-9a-f]{32})'[\s\S]*?\n {2}name: '([^']+)'/g;
  for (const match of text.matchAll(pattern)) {
    spans.push({ scope: match[1] ?? "", traceId: match[2] ?? "", name: match[3] ?? "" });
  }
  return spans;
}

async function waitFor(
  condition: () => boolean,
  exited: Promise<unknown>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (gone || Date.now() > deadline) throw new Error(`the built service did not start:\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
