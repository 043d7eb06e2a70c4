import type { ShipmentRepository } from "../ports/shipment.repository.ts";
import type { Shipment } from "../shipment.entity.ts";
import { type ListShipmentsInput, validateListShipments } from "../validation/list-shipments.validation.ts";
import { encodePageToken } from "../validation/page-token.ts";

export interface ShipmentPage {
  readonly shipments: readonly Shipment[];
  /** Empty on the last page. */
  readonly nextPageToken: string;
}

export interface ListShipmentsDeps {
  readonly shipments: ShipmentRepository;
}

/** Shipments in creation order, filtered by order id and/or status, a page at a time. */
export class ListShipments {
  readonly #deps: ListShipmentsDeps;

  constructor(deps: ListShipmentsDeps) {
    this.#deps = deps;
  }

  async execute(input: ListShipmentsInput): Promise<ShipmentPage> {
    const query = validateListShipments(input);
    // One more than asked tells whether another page exists without a count query.
    const rows = await this.#deps.shipments.list({
      orderId: query.orderId,
      customerId: query.customerId,
      status: query.status,
      afterId: query.afterId,
      limit: query.pageSize + 1,
    });
    const shipments = rows.slice(0, query.pageSize);
    const last = shipments.at(-1);
    const nextPageToken =
      rows.length > query.pageSize && last !== undefined
        ? encodePageToken({
            afterId: last.id,
            orderId: query.orderId,
            customerId: query.customerId,
            status: query.status,
          })
        : "";
    return { shipments, nextPageToken };
  }
}
