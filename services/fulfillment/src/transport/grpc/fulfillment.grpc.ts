import type { FulfillmentService, ShipmentLine } from "@orderly/contracts/fulfillment";
import { type FieldViolation, validationError } from "@orderly/kit/errors";
import type { ServiceImplementation } from "@orderly/kit/grpc";
import type { FulfillmentApi } from "../../app.ts";
import type { ShipmentLineInput } from "../../domain/validation/create-shipment.validation.ts";
import { statusName, toShipmentMessage } from "./shipment.message.ts";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * int64 quantities -> numbers. One too large for a number to hold exactly is refused here, naming its
 * field; the domain judges the rest (zero and negative included), reporting all its violations at once.
 */
function toLines(lines: readonly ShipmentLine[]): ShipmentLineInput[] {
  const violations: FieldViolation[] = [];
  const converted = lines.map((line, i) => {
    if (line.quantity > MAX_SAFE)
      violations.push({ field: `lines[${i}].quantity`, description: `must be at most ${MAX_SAFE}` });
    return { sku: line.sku, quantity: Number(line.quantity) };
  });
  if (violations.length > 0) throw validationError(violations);
  return converted;
}

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
        lines: toLines(request.lines),
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
      return { shipments: page.shipments.map(toShipmentMessage), nextPageToken: page.nextPageToken };
    },
    async advanceShipment(request) {
      const shipment = await api.advanceShipment(request.id, statusName(request.toStatus));
      return { shipment: toShipmentMessage(shipment) };
    },
    async cancelShipment(request) {
      return { shipment: toShipmentMessage(await api.cancelShipment(request.id, request.reason)) };
    },
  };
}
