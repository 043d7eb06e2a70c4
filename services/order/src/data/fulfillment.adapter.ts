import { type FulfillmentService, ShipmentStatus } from "@orderly/contracts/fulfillment";
import type { Client } from "@orderly/kit/grpc";
import type { FulfillmentPort } from "../domain/ports.ts";
import { toAddressMessage } from "./invoice.adapter.ts";

/** FulfillmentPort over fulfillment's gRPC API; CreateShipment is idempotent per order id. */
export class FulfillmentAdapter implements FulfillmentPort {
  readonly #client: Client<typeof FulfillmentService>;

  constructor(client: Client<typeof FulfillmentService>) {
    this.#client = client;
  }

  async createShipment(input: Parameters<FulfillmentPort["createShipment"]>[0]) {
    const { shipment } = await this.#client.createShipment(
      {
        orderId: input.orderId,
        lines: input.lines.map((l) => ({ sku: l.sku, quantity: BigInt(l.quantity) })),
        address: toAddressMessage(input.address),
      },
      { idempotencyKey: `${input.orderId}:ship` },
    );
    return { shipmentId: shipment?.id ?? "" };
  }

  async cancelForOrder(orderId: string, reason: string): Promise<void> {
    const { shipments } = await this.#client.listShipments({ orderId, pageSize: 100 });
    for (const shipment of shipments) {
      if (shipment.status === ShipmentStatus.CANCELLED) continue;
      await this.#client.cancelShipment(
        { id: shipment.id, reason },
        { idempotencyKey: `${orderId}:cancel:${shipment.id}` },
      );
    }
  }
}
