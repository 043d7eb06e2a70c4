import { toAddressMessage } from "@orderly/contracts/address";
import { type FulfillmentService, ShipmentStatus } from "@orderly/contracts/fulfillment";
import { AppError, Code } from "@orderly/kit/errors";
import type { Client } from "@orderly/kit/grpc";
import { OrderReason } from "../domain/order-errors.ts";
import type { FulfillmentPort, ShipmentOutcome, ShipmentRequest } from "../domain/ports/fulfillment.port.ts";

/** FulfillmentPort over fulfillment's gRPC API; CreateShipment is idempotent per order id. */
export class FulfillmentAdapter implements FulfillmentPort {
  readonly #client: Client<typeof FulfillmentService>;

  constructor(client: Client<typeof FulfillmentService>) {
    this.#client = client;
  }

  async createShipment(request: ShipmentRequest): Promise<ShipmentOutcome> {
    try {
      const { shipment } = await this.#client.createShipment(
        {
          orderId: request.orderId,
          lines: request.lines.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })),
          address: toAddressMessage(request.address),
        },
        { idempotencyKey: `${request.orderId}:ship` },
      );
      if (!shipment?.id)
        throw new AppError({
          code: Code.INTERNAL,
          reason: "INTERNAL",
          message: "shipment answer without id",
        });
      return { kind: "created", shipmentId: shipment.id };
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.code === Code.INVALID_ARGUMENT || error.code === Code.FAILED_PRECONDITION)
      ) {
        return { kind: "rejected", reason: OrderReason.SHIPMENT_REFUSED, message: error.message };
      }
      throw error;
    }
  }

  async cancelForOrder(orderId: string, reason: string): Promise<"cancelled" | "already-shipped"> {
    const { shipments } = await this.#client.listShipments({ orderId, pageSize: 100 });
    for (const shipment of shipments) {
      if (shipment.status === ShipmentStatus.CANCELLED) continue;
      if (shipment.status === ShipmentStatus.SHIPPED || shipment.status === ShipmentStatus.DELIVERED)
        return "already-shipped";
      try {
        await this.#client.cancelShipment(
          { id: shipment.id, reason },
          { idempotencyKey: `${orderId}:cancel:${shipment.id}` },
        );
      } catch (error) {
        // It left between the list and the cancel.
        if (error instanceof AppError && error.reason === "ILLEGAL_TRANSITION") return "already-shipped";
        throw error;
      }
    }
    return "cancelled";
  }
}
