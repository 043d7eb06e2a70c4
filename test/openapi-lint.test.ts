/**
 * Every service's GET /openapi.json, taken from the service started through its own main() on an
 * in-memory database, passes `redocly lint --extends recommended` with no error, and every operation
 * has an operationId and a problem+json answer for at least one 4xx status.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Service } from "@orderly/kit/service";
import { type Env, startInProcess } from "@orderly/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main as fulfillmentMain } from "../services/fulfillment/src/main.ts";
import { main as inventoryMain } from "../services/inventory/src/main.ts";
import { main as invoiceMain } from "../services/invoice/src/main.ts";
import { main as orderMain } from "../services/order/src/main.ts";

const run = promisify(execFile);
const REDOCLY = new URL("../node_modules/.bin/redocly", import.meta.url).pathname;

type AnyMain = (env: Env) => Promise<Service<string, unknown>>;
const MAINS = {
  order: orderMain,
  inventory: inventoryMain,
  invoice: invoiceMain,
  fulfillment: fulfillmentMain,
} as unknown as Record<string, AnyMain>;
const ENV: Env = {
  DATABASE_URL: "pglite:memory",
  ORDER_GRPC_ADDR: "127.0.0.1:1",
  INVENTORY_GRPC_ADDR: "127.0.0.1:1",
  INVOICE_GRPC_ADDR: "127.0.0.1:1",
  FULFILLMENT_GRPC_ADDR: "127.0.0.1:1",
};

interface Operation {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
}

const dir = mkdtempSync(join(tmpdir(), "orderly-openapi-"));
const docs = new Map<string, { file: string; doc: Doc }>();

beforeAll(async () => {
  await Promise.all(
    Object.entries(MAINS).map(async ([name, main]) => {
      const running = await startInProcess(main, ENV);
      try {
        const text = await (await fetch(`${running.httpUrl}/openapi.json`)).text();
        const file = join(dir, `${name}.json`);
        writeFileSync(file, text);
        docs.set(name, { file, doc: JSON.parse(text) as Doc });
      } finally {
        await running.stop();
      }
    }),
  );
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(Object.keys(MAINS))("%s /openapi.json", (name) => {
  it("when linted with redocly's recommended rules, then it reports no error", async () => {
    const { file } = docs.get(name) ?? { file: "" };
    const outcome = await run(REDOCLY, ["lint", "--extends", "recommended", "--format", "stylish", file], {
      timeout: 60_000,
    }).then(
      ({ stdout, stderr }) => ({ ok: true, output: stdout + stderr }),
      (error: { stdout?: string; stderr?: string }) => ({
        ok: false,
        output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
      }),
    );

    expect(outcome.output).not.toMatch(/\berror\b.*\(/i);
    expect(outcome, outcome.output).toMatchObject({ ok: true });
  });

  it("when read, then every operation has an operationId and a problem+json 4xx answer", () => {
    const { doc } = docs.get(name) ?? { doc: { paths: {} } };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ where: `${method} ${path}`, op })),
    );

    expect(operations.length).toBeGreaterThan(0);
    for (const { where, op } of operations) {
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
      const problems = Object.entries(op.responses ?? {}).filter(
        ([status, answer]) => /^4\d\d$/.test(status) && answer.content?.["application/problem+json"],
      );
      expect(problems.length, where).toBeGreaterThan(0);
    }
  });
});
