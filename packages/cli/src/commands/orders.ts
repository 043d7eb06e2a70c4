import { ORDER_STATUSES, type Order } from "@orderly/client";
import { lineQuantityProblem, skuProblem } from "@orderly/contracts/rules";
import {
  argument,
  type Command,
  type CommandContext,
  choiceFlag,
  type FlagSpec,
  integerFlag,
  requiredFlag,
  stringFlag,
} from "../command.ts";
import { formatDate, orderSummary, ordersTable, status, toJson } from "../output.ts";
import { UsageError } from "../usage-error.ts";

const ORDER_ID = { name: "ID", description: "the order id" };

/** `--customer ID`, for the order commands that act for a customer (create, list). */
function customerFlag(description: string): FlagSpec {
  return { type: "string", value: "ID", description, required: true };
}

const ADDRESS_EXAMPLE =
  '--name "Ada Lovelace" --line1 "12 Analytical St" --city London --postal-code "N1 9GU" --country GB';

function printOrder(ctx: CommandContext, order: Order): void {
  ctx.output.out(ctx.output.json ? toJson(order) : orderSummary(ctx.output, order));
}

/** `SKU:QTY` -> a line; the message names the flag, the value and what is wrong with it. */
export function parseLine(raw: string, index: number): { sku: string; quantity: number } {
  const at = raw.lastIndexOf(":");
  const where = `--line "${raw}" (line ${index + 1})`;
  if (at <= 0) throw new UsageError(`${where}: expected SKU:QTY, for example MUG-BLUE:2`, "orders create");
  const sku = raw.slice(0, at);
  const quantityText = raw.slice(at + 1);
  const skuIssue = skuProblem(sku);
  if (skuIssue) throw new UsageError(`${where}: sku ${skuIssue}`, "orders create");
  const quantity = /^\d+$/.test(quantityText) ? Number(quantityText) : Number.NaN;
  const quantityIssue = lineQuantityProblem(Number.isNaN(quantity) ? undefined : quantity);
  if (quantityIssue) throw new UsageError(`${where}: quantity ${quantityIssue}`, "orders create");
  return { sku, quantity };
}

export const ordersCreate: Command = {
  path: ["orders", "create"],
  summary: "Place an order; waits for the saga and prints the order (CONFIRMED, REJECTED…)",
  flags: {
    customer: customerFlag("the customer placing the order"),
    line: {
      type: "string",
      multiple: true,
      value: "SKU:QTY",
      description: "an order line; repeat for more",
      required: true,
    },
    name: { type: "string", value: "NAME", description: "ship to: recipient", required: true },
    line1: { type: "string", value: "TEXT", description: "ship to: street and number", required: true },
    line2: { type: "string", value: "TEXT", description: "ship to: second address line" },
    city: { type: "string", value: "CITY", description: "ship to: city", required: true },
    "postal-code": { type: "string", value: "CODE", description: "ship to: postal code", required: true },
    country: {
      type: "string",
      value: "CC",
      description: "ship to: ISO 3166 country code (GB, DE…)",
      required: true,
    },
    "idempotency-key": {
      type: "string",
      value: "KEY",
      description: "repeat a create safely: the same key returns the first order (default: a fresh one)",
    },
    async: { type: "boolean", description: "answer at once with the PENDING order instead of waiting" },
  },
  examples: [
    `pnpm orderly orders create --customer demo-customer --line MUG-BLUE:2 --line SOCKS-3PK:1 ${ADDRESS_EXAMPLE}`,
    `pnpm orderly orders create --customer demo-customer --line POSTER-A2:1 ${ADDRESS_EXAMPLE} --idempotency-key order-42 --output json`,
  ],
  async run(ctx) {
    const rawLines = (ctx.flags.line as string[] | undefined) ?? [];
    if (rawLines.length === 0)
      throw new UsageError("--line is required (SKU:QTY, repeat for more lines)", "orders create");
    const lines = rawLines.map(parseLine);
    const customerId = requiredFlag(ctx, "customer", this);
    const line2 = stringFlag(ctx, "line2", this);
    const key = stringFlag(ctx, "idempotency-key", this);
    const order = await ctx.client().orders.create({
      customerId,
      lines,
      shippingAddress: {
        name: requiredFlag(ctx, "name", this),
        line1: requiredFlag(ctx, "line1", this),
        ...(line2 ? { line2 } : {}),
        city: requiredFlag(ctx, "city", this),
        postalCode: requiredFlag(ctx, "postal-code", this),
        countryCode: requiredFlag(ctx, "country", this).toUpperCase(),
      },
      ...(key ? { idempotencyKey: key } : {}),
      respondAsync: ctx.flags.async === true,
    });
    printOrder(ctx, order);
  },
};

export const ordersGet: Command = {
  path: ["orders", "get"],
  summary: "Show one order",
  args: [ORDER_ID],
  examples: ["pnpm orderly orders get 019a6f2e-…", "pnpm orderly orders get 019a6f2e-… --output json"],
  async run(ctx) {
    printOrder(ctx, await ctx.client().orders.get(argument(ctx, 0, this)));
  },
};

export const ordersList: Command = {
  path: ["orders", "list"],
  summary: "List a customer's orders, newest first",
  flags: {
    customer: customerFlag("whose orders"),
    status: {
      type: "string",
      value: "STATUS",
      description: `only this status (${ORDER_STATUSES.join(", ")})`,
    },
    limit: { type: "string", value: "N", description: "at most N orders (default 20, up to 1000)" },
  },
  examples: [
    "pnpm orderly orders list --customer demo-customer",
    "pnpm orderly orders list --customer demo-customer --status CONFIRMED --limit 5 --output json",
  ],
  async run(ctx) {
    const customerId = requiredFlag(ctx, "customer", this);
    const limit = integerFlag(ctx, "limit", this, { min: 1, max: 1000 }) ?? 20;
    const wanted = choiceFlag(ctx, "status", this, ORDER_STATUSES);
    // ListOrders has no status filter: page through and keep the matching ones.
    const orders: Order[] = [];
    let pageToken: string | undefined;
    do {
      const page = await ctx.client().orders.list({
        customerId,
        pageSize: wanted ? 100 : Math.min(100, limit - orders.length),
        ...(pageToken ? { pageToken } : {}),
      });
      orders.push(...page.items.filter((o) => wanted === undefined || o.status === wanted));
      pageToken = page.nextPageToken;
    } while (pageToken && orders.length < limit);
    const shown = orders.slice(0, limit);
    ctx.output.out(ctx.output.json ? toJson({ orders: shown }) : ordersTable(ctx.output, shown));
  },
};

export const ordersWatch: Command = {
  path: ["orders", "watch"],
  summary: "Print the order's status, then each change, until it is DELIVERED, REJECTED, FAILED or CANCELLED",
  args: [ORDER_ID],
  examples: [
    "pnpm orderly orders watch 019a6f2e-…",
    "pnpm orderly orders watch 019a6f2e-… --output json   # one JSON document per line",
  ],
  async run(ctx) {
    const id = argument(ctx, 0, this);
    for await (const order of ctx.client().orders.watch(id, { signal: ctx.signal })) {
      ctx.output.out(
        ctx.output.json
          ? toJson(order, true)
          : `${formatDate(order.updatedAt)}  ${status(ctx.output, order.status)}${order.statusReason ? ` (${order.statusReason})` : ""}  ${order.id}`,
      );
    }
  },
};

export const ordersCancel: Command = {
  path: ["orders", "cancel"],
  summary: "Cancel an order (until it is SHIPPED); cancelling twice is fine",
  args: [ORDER_ID],
  flags: { reason: { type: "string", value: "TEXT", description: "why, kept with the order" } },
  examples: [
    "pnpm orderly orders cancel 019a6f2e-…",
    'pnpm orderly orders cancel 019a6f2e-… --reason "changed my mind"',
  ],
  async run(ctx) {
    const reason = stringFlag(ctx, "reason", this);
    printOrder(ctx, await ctx.client().orders.cancel(argument(ctx, 0, this), reason ? { reason } : {}));
  },
};
