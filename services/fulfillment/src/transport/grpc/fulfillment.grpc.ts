import type { FulfillmentService } from "@orderly/contracts/fulfillment";
import type { ServiceImplementation } from "@orderly/kit/grpc";
import type { FulfillmentApi } from "../../domain/fulfillment-api.ts";
import { statusName, toShipmentMessage } from "./shipment.message.ts";

/** FulfillmentService over gRPC: wire <-> domain, nothing more. */
export function fulfillmentGrpcHandlers(
  api: FulfillmentApi,
): ServiceImplementation<typeof FulfillmentService> {
  return {
    async createShipment(request) {
      // The wire address has the domain's field names; the domain checks and copies what it keeps.
      const shipment = await api.createShipment({
        orderId: request.orderId,
        customerId: request.customerId,
        // int64 quantities stay bigints: the domain's shared rule judges them, too large ones included.
        lines: request.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        address: request.address,
      });
      return { shipment: toShipmentMessage(shipment) };
    },
    async getShipment(request) {
      return { shipment: toShipmentMessage(await api.getShipment(request.id)) };
    },
    async listShipments(request) {
      const page = await api.listShipments({
        orderId: request.orderId,
        customerId: request.customerId,
        status: statusName(request.status),
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      });
      return { shipments: page.items.map(toShipmentMessage), nextPageToken: page.next ?? "" };
    },
    async advanceShipment(request) {
      const shipment = await api.advanceShipment(request.id, statusName(request.toStatus));
      return { shipment: toShipmentMessage(shipment) };
    },
    async cancelShipment(request) {
      return {
        shipment: toShipmentMessage(
          await api.cancelShipment({ id: request.id, orderId: request.orderId, reason: request.reason }),
        ),
      };
    },
  };
}
