import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const bin = join(root, "node_modules/.bin");
const SERVICES = ["order", "inventory", "invoice", "fulfillment"];

describe("pnpm start (the README's quick start)", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "orderly-start-"));
  // Away from the default ports, so a developer's running stack doesn't collide with the test.
  const offset = 1_000 + Math.floor(Math.random() * 8_000);
  // Its own process group, as a shell gives a foreground job: Ctrl-C signals the whole group.
  const launcher = spawn(process.execPath, ["scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, ORDERLY_PORT_OFFSET: String(offset), ORDERLY_DATA_DIR: dataDir, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => launcher.once("exit", (code) => resolve(code)));
  const welcome = new Promise<void>((resolve, reject) => {
    for (const stream of [launcher.stdout, launcher.stderr])
      createInterface({ input: stream }).on("line", (line) => {
        output.push(line);
        if (line.includes("OrderService/ListOrders")) resolve();
      });
    void exited.then((code) => reject(new Error(`launcher exited ${code}:\n${output.join("\n")}`)));
  });
  afterAll(async () => {
    // After a failed test the stack is still up. Each service is in a process group of its own, so
    // a SIGKILL to the launcher's group would leave them running: the launcher is asked to stop
    // them first (SIGTERM, as its own shutdown does), and only killed if it does not.
    if (launcher.exitCode === null && launcher.pid) {
      process.kill(-launcher.pid, "SIGTERM");
      const stopped = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
      if (!stopped) process.kill(-launcher.pid, "SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);
  const shell = (command: string) =>
    execFileSync("sh", ["-c", command], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });

  /** The output of a command that must fail (non-zero exit). */
  const failing = (command: string) => {
    try {
      shell(`${command} 2>&1`);
    } catch (error) {
      return String((error as { stdout?: unknown }).stdout ?? error);
    }
    throw new Error(`expected to fail: ${command}`);
  };

  it("when started, then the printed CLI, curl and gRPC lines work; Ctrl-C to the process group drains all four and exits 0", async () => {
    await welcome;
    expect(output.join("\n")).not.toContain("grpcurl");

    const cliCreate = output.find((line) => line.includes("pnpm orderly orders create"))?.trim() ?? "";
    expect(cliCreate).toContain(`ORDERLY_PORT_OFFSET=${offset} ORDERLY_DATA_DIR=${dataDir} pnpm orderly`);
    const viaCli = JSON.parse(shell(`${cliCreate} --output json`)) as { id: string; status: string };
    expect(viaCli.status).toBe("CONFIRMED");

    const curl = output.find((line) => line.trim().startsWith("curl -s -X POST"))?.trim() ?? "";
    const created = JSON.parse(shell(curl)) as { id: string; status: string };
    expect(created.status).toBe("CONFIRMED");

    const bufCurl = output.find((line) => line.trim().startsWith("pnpm exec buf curl"))?.trim() ?? "";
    const grpcAnswer = shell(bufCurl);
    expect(grpcAnswer).toContain(created.id);
    expect(grpcAnswer).toContain(viaCli.id);

    // The gate, as a stranger would meet it.
    const orderUrl = `http://127.0.0.1:${8080 + offset}`;
    const token = (dir: string, sub: string, scope: string) =>
      shell(`ORDERLY_DATA_DIR=${dir} pnpm -s run token --sub ${sub} --scope "${scope}"`).trim();
    const status = async (path: string, authorization?: string, init: RequestInit = {}) =>
      (
        await fetch(`${orderUrl}${path}`, {
          ...init,
          headers: {
            ...(authorization ? { authorization } : {}),
            ...(init.headers as Record<string, string>),
          },
        })
      ).status;
    const otherDir = mkdtempSync(join(tmpdir(), "orderly-forger-"));
    try {
      const forged = token(otherDir, "demo-customer", "orders:read orders:write admin");
      const readOnly = token(dataDir, "demo-customer", "orders:read");
      const stranger = token(dataDir, "eve", "orders:read orders:write");
      const write = {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `start-test-${Date.now()}` },
        body: curl.slice(curl.indexOf("-d '") + 4, -1),
      };
      expect({
        noToken: await status(`/v1/orders/${created.id}`),
        forged: await status(`/v1/orders/${created.id}`, `Bearer ${forged}`),
        readOnlyWriting: await status("/v1/orders", `Bearer ${readOnly}`, write),
        anotherCustomersOrder: await status(`/v1/orders/${created.id}`, `Bearer ${stranger}`),
        health: await status("/health/ready"),
      }).toEqual({
        noToken: 401,
        forged: 401,
        readOnlyWriting: 403,
        anotherCustomersOrder: 404,
        health: 200,
      });

      // An unknown field is refused by name, before anything is reserved.
      const writer = token(dataDir, "demo-customer", "orders:read orders:write");
      const withCoupon = await fetch(`${orderUrl}/v1/orders`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${writer}`,
          "content-type": "application/json",
          "idempotency-key": `start-test-coupon-${Date.now()}`,
        },
        body: JSON.stringify({ ...JSON.parse(write.body), coupon: "FREE" }),
      });
      expect(withCoupon.status).toBe(400);
      expect(JSON.stringify(await withCoupon.json())).toContain("coupon");

      // The default budget (600 a minute per subject) meets a burst of reads with 429 + Retry-After.
      const reader = `Bearer ${token(dataDir, "burst-reader", "orders:read")}`;
      const answers: Response[] = [];
      for (let batch = 0; batch < 13; batch++) {
        const round = await Promise.all(
          Array.from({ length: 50 }, async () => {
            const answer = await fetch(`${orderUrl}/v1/orders`, { headers: { authorization: reader } });
            await answer.arrayBuffer();
            return answer;
          }),
        );
        answers.push(...round);
      }
      const limited = answers.filter((answer) => answer.status === 429);
      expect(answers.filter((answer) => answer.status === 200).length).toBe(600);
      expect(limited.length).toBe(50);
      expect(Number(limited[0]?.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
    // Service identities: the operator's certificate reaches an internal service; without a
    // certificate, stock adjustments and shipment events are refused.
    const operatorCall =
      output.find((line) => line.includes("--cert") && line.includes("buf curl"))?.trim() ?? "";
    expect(shell(operatorCall)).toContain('"reason": "demo catalogue"');
    const certs = join(dataDir, "certs");
    const inventoryGrpc = `https://localhost:${50052 + offset}`;
    const orderGrpc = `https://localhost:${50051 + offset}`;
    const adjust = `pnpm exec buf curl --protocol grpc --cacert ${certs}/ca.pem --schema proto -d '{"sku":"MUG-BLUE","delta":"5","reason":"x","adjustment_id":"attack"}' ${inventoryGrpc}/orderly.inventory.v1.InventoryService/AdjustStock`;
    // TLS 1.3 finishes the client's side of the handshake before the server checks for a client
    // certificate, so the refusal reaches buf curl as whichever of these its next read or write meets.
    expect(failing(adjust)).toMatch(/certificate|handshake|unavailable|EOF|reset|broken pipe/i);
    const forged = `pnpm exec buf curl --protocol grpc --cacert ${certs}/ca.pem -d '{"event":{"order_id":"${created.id}","status":"SHIPMENT_STATUS_DELIVERED"}}' ${orderGrpc}/orderly.order.v1.OrderService/RecordShipmentEvent`;
    expect(failing(forged)).toContain("unauthenticated");
    // …and the order did not move.
    const afterForgery = await fetch(`${orderUrl}/v1/orders/${created.id}`, {
      headers: { authorization: `Bearer ${token(dataDir, "demo-customer", "orders:read")}` },
    });
    expect(((await afterForgery.json()) as { status: string }).status).toBe("CONFIRMED");

    process.kill(-(launcher.pid ?? 0), "SIGINT");
    expect(await exited).toBe(0);
    const log = output.join("\n");
    expect(log).not.toContain("forcing exit");
    for (const service of SERVICES) expect(log).toMatch(new RegExp(`\\b${service} stopped\\b`));
    expect(log).toContain("all services stopped cleanly");
  }, 300_000);
});
