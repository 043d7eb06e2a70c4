import type { Page } from "@orderly/kit/domain";
import type { ShipmentRepository } from "../ports/shipment.repository.port.ts";
import type { Shipment } from "../shipment.entity.ts";
import {
  type ListShipmentsInput,
  nextPageToken,
  validateListShipments,
} from "../validation/list-shipments.validation.ts";

export type { ListShipmentsInput };

export type ListShipments = (input: ListShipmentsInput) => Promise<Page<Shipment>>;

/** Shipments in creation order, filtered by order, customer and/or status, a page at a time. */
export function makeListShipments(deps: { readonly shipments: ShipmentRepository }): ListShipments {
  return async function listShipments(input) {
    const query = validateListShipments(input);
    // One more than asked tells whether another page exists without a count query.
    const rows = await deps.shipments.list({
      orderId: query.orderId,
      customerId: query.customerId,
      status: query.status,
      afterId: query.afterId,
      limit: query.pageSize + 1,
    });
    const items = rows.slice(0, query.pageSize);
    const last = items.at(-1);
    const next =
      rows.length > query.pageSize && last !== undefined ? nextPageToken(last.id, query) : undefined;
    return { items, next };
  };
}
