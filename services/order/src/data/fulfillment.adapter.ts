import { toAddressMessage } from "@orderly/contracts/address";
import type { FulfillmentService } from "@orderly/contracts/fulfillment";
import { AppError } from "@orderly/kit/errors";
import { OrderReason } from "../domain/order-errors.ts";
import type { FulfillmentPort, ShipmentOutcome, ShipmentRequest } from "../domain/ports/fulfillment.port.ts";
import { PeerAdapter } from "./peer-adapter.ts";
import { peerBroke, peerRefused } from "./peer-answer.ts";

/** FulfillmentPort over fulfillment's gRPC API; CreateShipment is idempotent per order id. */
export class FulfillmentAdapter extends PeerAdapter<typeof FulfillmentService> implements FulfillmentPort {
  async createShipment(request: ShipmentRequest): Promise<ShipmentOutcome> {
    try {
      const { shipment } = await this.peer.createShipment(
        {
          orderId: request.orderId,
          customerId: request.customerId,
          lines: request.lines.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })),
          address: toAddressMessage(request.address),
        },
        { idempotencyKey: `${request.orderId}:ship` },
      );
      if (!shipment?.id) throw peerBroke("shipment answer without id");
      return { kind: "created", shipmentId: shipment.id };
    } catch (error) {
      if (peerRefused(error)) {
        return { kind: "rejected", reason: OrderReason.SHIPMENT_REFUSED, message: error.message };
      }
      throw error;
    }
  }

  async cancelForOrder(orderId: string, reason: string): Promise<"cancelled" | "already-shipped"> {
    try {
      await this.peer.cancelShipment({ orderId, reason }, { idempotencyKey: `${orderId}:cancel-shipment` });
      return "cancelled";
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // The parcel left before the cancel reached the warehouse.
      if (error.reason === "ALREADY_SHIPPED") return "already-shipped";
      // No shipment was ever created for the order: nothing to undo.
      if (error.reason === "SHIPMENT_NOT_FOUND") return "cancelled";
      throw error;
    }
  }
}
