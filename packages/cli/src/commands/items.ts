import type { Item } from "@orderly/client";
import { argument, type Command, integerFlag, requiredFlag } from "../command.ts";
import { itemsTable, toJson } from "../output.ts";

export const itemsList: Command = {
  path: ["items", "list"],
  summary: "List the catalogue with stock levels",
  examples: ["pnpm orderly items list", "pnpm orderly items list --output json"],
  async run(ctx) {
    const items: Item[] = [];
    let pageToken: string | undefined;
    do {
      const page = await ctx.client().items.list({ pageSize: 100, ...(pageToken ? { pageToken } : {}) });
      items.push(...page.items);
      pageToken = page.nextPageToken;
    } while (pageToken);
    ctx.output.out(ctx.output.json ? toJson({ items }) : itemsTable(ctx.output, items));
  },
};

export const itemsAdjust: Command = {
  path: ["items", "adjust"],
  summary: "Add or remove stock (a negative delta removes), recorded with a reason",
  args: [{ name: "SKU", description: "the item" }],
  flags: {
    delta: { type: "string", value: "N", description: "units to add (negative: remove)", required: true },
    reason: { type: "string", value: "TEXT", description: "why, for the audit trail", required: true },
  },
  examples: [
    'pnpm orderly items adjust MUG-BLUE --delta 25 --reason "delivery from supplier"',
    'pnpm orderly items adjust MUG-BLUE --delta -2 --reason "broken in the warehouse"',
  ],
  async run(ctx) {
    const sku = argument(ctx, 0, this);
    const delta = integerFlag(ctx, "delta", this, { min: -1_000_000_000, max: 1_000_000_000 });
    const reason = requiredFlag(ctx, "reason", this);
    const result = await ctx.client().items.adjust(sku, { delta: delta ?? 0, reason });
    ctx.output.out(
      ctx.output.json
        ? toJson(result)
        : `${result.item.sku}: on hand ${result.item.onHand - result.adjustment.delta} -> ${result.item.onHand} (available ${result.item.available}); adjustment ${result.adjustment.id}`,
    );
  },
};
