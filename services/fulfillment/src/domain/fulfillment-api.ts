import type { Page } from "@orderly/kit/domain";
import type { ShipmentRepository } from "./ports/shipment.repository.port.ts";
import type { Shipment } from "./shipment.entity.ts";
import { makeAdvanceShipment } from "./use-cases/advance-shipment.use-case.ts";
import { type CancelShipmentInput, makeCancelShipment } from "./use-cases/cancel-shipment.use-case.ts";
import type { ChangeStatusDeps } from "./use-cases/change-status.ts";
import { type CreateShipmentInput, makeCreateShipment } from "./use-cases/create-shipment.use-case.ts";
import { makeGetShipment } from "./use-cases/get-shipment.use-case.ts";
import { type ListShipmentsInput, makeListShipments } from "./use-cases/list-shipments.use-case.ts";

/** What the transports call: the fulfillment use cases with their dependencies bound. */
export interface FulfillmentApi {
  createShipment(input: CreateShipmentInput): Promise<Shipment>;
  /** `owner`: the customer the caller acts for (undefined: warehouse staff and operators see all). */
  getShipment(id: string, owner?: string): Promise<Shipment>;
  listShipments(input: ListShipmentsInput): Promise<Page<Shipment>>;
  /** `toStatus` is a status name ("PICKING"); the domain refuses anything else as bad input. */
  advanceShipment(id: string, toStatus: string): Promise<Shipment>;
  /** By id or by order id (exactly one); idempotent. */
  cancelShipment(input: CancelShipmentInput): Promise<Shipment>;
}

export interface FulfillmentApiDeps extends ChangeStatusDeps {
  /** Outside any unit of work: reads, and CreateShipment's single atomic write. */
  readonly shipments: ShipmentRepository;
}

export function makeFulfillmentApi(deps: FulfillmentApiDeps): FulfillmentApi {
  const create = makeCreateShipment(deps);
  const get = makeGetShipment(deps);
  const list = makeListShipments(deps);
  const advance = makeAdvanceShipment(deps);
  const cancel = makeCancelShipment(deps);
  return {
    createShipment: create,
    getShipment: (id, owner) => get({ id, owner }),
    listShipments: list,
    advanceShipment: (id, toStatus) => advance({ id, toStatus }),
    cancelShipment: cancel,
  };
}
