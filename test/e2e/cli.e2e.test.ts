import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../packages/cli/src/run.ts";
import { repoRoot, Stack } from "./stack.ts";

const ADDRESS = [
  "--name",
  "Ada Lovelace",
  "--line1",
  "12 Analytical St",
  "--city",
  "London",
  "--postal-code",
  "N1 9GU",
  "--country",
  "GB",
];

describe("orderly CLI through the real stack", () => {
  let stack: Stack;
  let env: Record<string, string>;
  const scratch = mkdtempSync(join(tmpdir(), "orderly-cli-"));

  /** The CLI in this process (the stack runs here too), as a user's shell would run it. */
  async function cli(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await run(argv, {
      env,
      cwd: scratch,
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      isTty: false,
    });
    return { code, stdout, stderr };
  }
  const json = async (...argv: string[]) => {
    const result = await cli(...argv, "--output", "json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Record<string, unknown> & { id: string; status: string };
  };
  const create = (customer: string, ...lines: string[]) =>
    json("orders", "create", "--customer", customer, ...lines.flatMap((l) => ["--line", l]), ...ADDRESS);

  beforeAll(async () => {
    stack = await Stack.start("pglite");
    env = {
      ORDERLY_ORDER_ADDRESS: stack.address("order"),
      ORDERLY_INVENTORY_ADDRESS: stack.address("inventory"),
      ORDERLY_INVOICE_ADDRESS: stack.address("invoice"),
      ORDERLY_FULFILLMENT_ADDRESS: stack.address("fulfillment"),
      ORDERLY_INVOICE_URL: stack.httpUrl("invoice"),
      ORDERLY_DATA_DIR: scratch,
    };
    await stack.clients().inventory.upsertItem({
      sku: "CLI-TEE",
      name: "CLI tee",
      unitPrice: { currencyCode: "EUR", amountMinor: 2400n },
    });
    // Four services and their databases on a busy CI machine: minutes, not seconds.
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("items adjust then items list: the stock shows in the table and in JSON", async () => {
    const adjusted = await cli("items", "adjust", "CLI-TEE", "--delta", "40", "--reason", "cli e2e");
    expect(adjusted.code).toBe(0);
    expect(adjusted.stdout).toMatch(/^CLI-TEE: on hand 0 -> 40 \(available 40\); adjustment /);
    const table = await cli("items", "list");
    expect(table.stdout).toMatch(/^SKU\s+NAME\s+PRICE\s+ON HAND\s+RESERVED\s+AVAILABLE$/m);
    expect(table.stdout).toMatch(/^CLI-TEE\s+CLI tee\s+24\.00 EUR\s+40\s+0\s+40$/m);
    const listed = (await json("items", "list")) as unknown as {
      items: { sku: string; available: number }[];
    };
    expect(listed.items.find((i) => i.sku === "CLI-TEE")?.available).toBe(40);
    const below = await cli("items", "adjust", "CLI-TEE", "--delta", "-100", "--reason", "too many");
    expect(below.code).toBe(4);
    expect(below.stderr).toContain("STOCK_BELOW_ZERO");
  });

  it("orders create, get, list, watch, shipments advance and invoices get --pdf: one order end to end", async () => {
    const order = (await create("cli-e2e", "CLI-TEE:2")) as {
      id: string;
      status: string;
      shipmentId: string;
      invoiceId: string;
      total: unknown;
    };
    expect(order.status).toBe("CONFIRMED");
    expect(order.total).toEqual({ amountMinor: expect.any(Number), currency: "EUR" });

    const shown = await cli("orders", "get", order.id);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Order ${order.id}  CONFIRMED`);
    expect(shown.stdout).toMatch(/CLI-TEE\s+(CLI tee\s+)?2\s+24\.00 EUR\s+48\.00 EUR/);

    let watchOutput = "";
    const watching = run(["orders", "watch", order.id, "--output", "json"], {
      env,
      cwd: scratch,
      stdout: (t) => {
        watchOutput += t;
      },
      stderr: (t) => {
        watchOutput += t;
      },
      isTty: false,
    });
    for (const to of ["PICKING", "PACKED", "SHIPPED", "DELIVERED"]) {
      const advanced = await cli("shipments", "advance", order.shipmentId, "--to", to.toLowerCase());
      expect(advanced.code).toBe(0);
      expect(advanced.stdout).toContain(`Shipment ${order.shipmentId}  ${to}`);
    }
    expect(await watching).toBe(0);
    const statuses = watchOutput
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { status: string }).status);
    expect(statuses[0]).toBe("CONFIRMED");
    expect(statuses).toContain("SHIPPED");
    expect(statuses.at(-1)).toBe("DELIVERED");

    const backwards = await cli("shipments", "advance", order.shipmentId, "--to", "PICKING");
    expect(backwards.code).toBe(4);
    const tooLate = await cli("orders", "cancel", order.id);
    expect(tooLate.code).toBe(4);
    expect(tooLate.stderr).toContain("ORDER_NOT_CANCELLABLE");

    const listed = await cli(
      "orders",
      "list",
      "--customer",
      "cli-e2e",
      "--status",
      "DELIVERED",
      "--limit",
      "5",
    );
    expect(listed.stdout).toMatch(new RegExp(`^${order.id}\\s+DELIVERED\\s+`, "m"));

    const invoice = await cli("invoices", "get", order.invoiceId, "--pdf", "invoice.pdf");
    expect(invoice.code).toBe(0);
    expect(invoice.stdout).toContain(`order     ${order.id}`);
    expect(invoice.stdout).toContain(`wrote ${join(scratch, "invoice.pdf")}`);
    expect(readFileSync(join(scratch, "invoice.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
  }, 120_000);

  it("orders cancel: a confirmed order becomes CANCELLED, and cancelling it again answers the same", async () => {
    const order = await create("cli-e2e-cancel", "CLI-TEE:1");
    const cancelled = await cli("orders", "cancel", order.id);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`Order ${order.id}  CANCELLED`);
    const again = await json("orders", "cancel", order.id);
    expect(again.status).toBe("CANCELLED");
  }, 60_000);

  it("when an id is unknown, then get, watch and invoices exit 3 with the reason", async () => {
    const unknown = "0193a0c0-0000-7000-8000-000000000000";
    for (const argv of [
      ["orders", "get", unknown],
      ["orders", "watch", unknown],
      ["invoices", "get", unknown],
    ]) {
      const result = await cli(...argv);
      expect(result.code, argv.join(" ")).toBe(3);
      expect(result.stderr).toMatch(/NOT_FOUND/);
    }
  });

  it("when the server refuses a field, then the CLI exits 2 naming the flag", async () => {
    const result = await cli(
      "orders",
      "create",
      "--customer",
      "cli-e2e",
      "--line",
      "CLI-TEE:1",
      ...ADDRESS.slice(0, -1),
      "G1",
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: --country:");
  });

  it("when run as `pnpm orderly` would run it, then bad input exits 2 naming quantity, and --output json gives a CONFIRMED order", async () => {
    const main = join(repoRoot, "packages/cli/src/main.ts");
    const node = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          process.execPath,
          [main, ...args],
          { cwd: repoRoot, env: { ...process.env, ...env } },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        ),
      );
    const bad = await node(["orders", "create", "--customer", "c", "--line", "MUG-BLUE:0", ...ADDRESS]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("quantity must be a whole number");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const good = await node([
      "orders",
      "create",
      "--customer",
      "cli-e2e-bin",
      "--line",
      "CLI-TEE:1",
      ...ADDRESS,
      "--output",
      "json",
    ]);
    expect(good.stderr).toBe("");
    expect((JSON.parse(good.stdout) as { status: string }).status).toBe("CONFIRMED");
  }, 60_000);
});
