import { SHIPMENT_STATUSES } from "@orderly/client";
import { argument, type Command, choiceFlag } from "../command.ts";
import { shipmentSummary, toJson } from "../output.ts";

const TARGETS = SHIPMENT_STATUSES.filter((s) => s !== "PENDING" && s !== "CANCELLED");

export const shipmentsAdvance: Command = {
  path: ["shipments", "advance"],
  summary: `Move a shipment forward: ${TARGETS.join(" -> ")} (the order follows: SHIPPED, DELIVERED)`,
  args: [{ name: "ID", description: "the shipment id (an order's `shipment`)" }],
  flags: { to: { type: "string", value: "STATUS", description: TARGETS.join(", "), required: true } },
  examples: [
    "pnpm orderly shipments advance 019a6f2e-… --to PICKING",
    "pnpm orderly shipments advance 019a6f2e-… --to DELIVERED --output json",
  ],
  async run(ctx) {
    const id = argument(ctx, 0, this);
    // Required: stringFlag (under choiceFlag) refuses a missing --to, naming it.
    const to = choiceFlag(ctx, "to", this, TARGETS) as (typeof TARGETS)[number];
    const shipment = await ctx.client().shipments.advance(id, to);
    ctx.output.out(ctx.output.json ? toJson(shipment) : shipmentSummary(ctx.output, shipment));
  },
};
