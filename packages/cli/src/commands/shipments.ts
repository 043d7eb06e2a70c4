import { SHIPMENT_STATUSES, type ShipmentStatus } from "@orderly/client";
import { argument, type Command, requiredFlag } from "../command.ts";
import { shipmentSummary, toJson } from "../output.ts";
import { UsageError } from "../usage-error.ts";

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
    const to = requiredFlag(ctx, "to", this).toUpperCase();
    if (!(TARGETS as readonly string[]).includes(to))
      throw new UsageError(`--to must be one of ${TARGETS.join(", ")}, got "${to}"`, "shipments advance");
    const shipment = await ctx.client().shipments.advance(id, to as Exclude<ShipmentStatus, "UNSPECIFIED">);
    ctx.output.out(ctx.output.json ? toJson(shipment) : shipmentSummary(ctx.output, shipment));
  },
};
