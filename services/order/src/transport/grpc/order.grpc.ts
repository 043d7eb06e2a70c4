import { fromAddressMessage } from "@orderly/contracts/address";
import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import type { OrderService as OrderServiceDesc } from "@orderly/contracts/order";
import { validationError } from "@orderly/kit/errors";
import type { ServiceImplementation } from "@orderly/kit/grpc";
import type { OrderApi } from "../../domain/order-api.ts";
import { assertMayOrderFor, customerToList, ownerOf } from "../order-access.ts";
import { toOrderMessage } from "./order.message.ts";

const SHIPMENT_STATUS_NAMES = Object.fromEntries(
  Object.entries(ShipmentStatus).map(([name, value]) => [value, name]),
) as Record<number, string>;

/** int64 to number; out of JS's safe range it becomes NaN, which the domain's quantity rule names. */
function quantity(value: bigint): number {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : Number.NaN;
}

/** OrderService over gRPC: wire <-> domain, nothing more. */
export function orderGrpcHandlers(api: OrderApi): ServiceImplementation<typeof OrderServiceDesc> {
  return {
    async createOrder(request, ctx) {
      assertMayOrderFor(ctx.principal, request.customerId);
      const order = await api.createOrder(
        {
          customerId: request.customerId,
          lines: request.lines.map((l) => ({
            sku: l.sku,
            quantity: quantity(l.quantity),
          })),
          shippingAddress: fromAddressMessage(request.shippingAddress),
        },
        ctx.idempotencyKey,
        { deadline: ctx.deadline, respondAsync: request.respondAsync },
      );
      return { order: toOrderMessage(order) };
    },
    async getOrder(request, ctx) {
      return { order: toOrderMessage(await api.getOrder(request.id, ownerOf(ctx.principal))) };
    },
    async listOrders(request, ctx) {
      const page = await api.listOrders({
        customerId: customerToList(ctx.principal, request.customerId),
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return { orders: page.items.map(toOrderMessage), nextPageToken: page.next ?? "" };
    },
    async cancelOrder(request, ctx) {
      return {
        order: toOrderMessage(await api.cancelOrder(request.id, ctx.deadline, ownerOf(ctx.principal))),
      };
    },
    async *watchOrder(request, ctx) {
      for await (const order of api.watchOrder(request.id, ctx.signal, ownerOf(ctx.principal)))
        yield { order: toOrderMessage(order) };
    },
    async recordShipmentEvent(request) {
      const event = request.event;
      if (!event) throw validationError({ field: "event", description: "is required" });
      const status = SHIPMENT_STATUS_NAMES[event.status] ?? "UNSPECIFIED";
      const result = await api.recordShipmentEvent({
        eventId: event.eventId,
        orderId: event.orderId,
        shipmentId: event.shipmentId,
        status: status as Parameters<OrderApi["recordShipmentEvent"]>[0]["status"],
      });
      return { duplicate: result.duplicate };
    },
  };
}
