import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const bin = join(root, "node_modules/.bin");

describe("pnpm start (the README's quick start)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "orderly-start-"));
  // Away from the default ports, so a developer's running stack doesn't collide with the test.
  const offset = 1_000 + Math.floor(Math.random() * 8_000);
  const launcher = spawn(process.execPath, ["scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, ORDERLY_PORT_OFFSET: String(offset), ORDERLY_DATA_DIR: dataDir, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => launcher.once("exit", (code) => resolve(code)));
  const welcome = new Promise<void>((resolve, reject) => {
    createInterface({ input: launcher.stdout }).on("line", (line) => {
      output.push(line);
      if (line.includes("OrderService/ListOrders") && line.includes("grpcurl")) resolve();
    });
    void exited.then((code) => reject(new Error(`launcher exited ${code}:\n${output.join("\n")}`)));
  });
  afterAll(async () => {
    if (launcher.exitCode === null) launcher.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("when started, then the printed curl creates an order that reaches CONFIRMED and the printed gRPC line answers; Ctrl-C stops all four", async () => {
    await welcome;
    const curl = output.find((line) => line.trim().startsWith("curl -s -X POST"))?.trim() ?? "";
    const created = JSON.parse(execFileSync("sh", ["-c", curl], { encoding: "utf8" })) as {
      id: string;
      status: string;
    };
    expect(created.status).toBe("CONFIRMED");

    const orderUrl = `http://localhost:${8080 + offset}/v1/orders/${created.id}`;
    expect(((await (await fetch(orderUrl)).json()) as { status: string }).status).toBe("CONFIRMED");

    const bufCurl = output.find((line) => line.trim().startsWith("pnpm exec buf curl"))?.trim() ?? "";
    const grpcAnswer = execFileSync("sh", ["-c", bufCurl], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });
    expect(grpcAnswer).toContain(created.id);

    launcher.kill("SIGINT");
    expect(await exited).toBe(0);
  }, 180_000);
});
