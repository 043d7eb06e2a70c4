import { textProblem } from "@orderly/contracts/rules";
import { decodePageToken, encodePageToken, isUuid, resolvePageSize, Violations } from "@orderly/kit/domain";
import { isShipmentStatus, type ShipmentStatus } from "../shipment-status.ts";
import { CUSTOMER_ID_LIMITS, ORDER_ID_LIMITS } from "./create-shipment.validation.ts";

export interface ListShipmentsInput {
  /** Empty or absent: every order. */
  readonly orderId?: string;
  /** Empty or absent: every customer. */
  readonly customerId?: string;
  /** A status name ("SHIPPED"); empty, "UNSPECIFIED" or absent: every status. */
  readonly status?: string;
  /** 1..100; 0 or absent means 50. */
  readonly pageSize?: number;
  /** next_page_token of the previous page; empty or absent for the first. */
  readonly pageToken?: string;
}

export interface ShipmentFilters {
  readonly orderId: string | null;
  readonly customerId: string | null;
  readonly status: ShipmentStatus | null;
}

export interface ValidListShipments extends ShipmentFilters {
  readonly pageSize: number;
  readonly afterId: string | null;
}

const LIST = "shipments";

export function validateListShipments(input: ListShipmentsInput): ValidListShipments {
  const violations = new Violations();
  const orderId = optionalText(input.orderId, "order_id", ORDER_ID_LIMITS.max, violations);
  const customerId = optionalText(input.customerId, "customer_id", CUSTOMER_ID_LIMITS.max, violations);

  const rawStatus = input.status;
  const status =
    rawStatus === undefined || rawStatus === "" || rawStatus === "UNSPECIFIED" ? null : rawStatus;
  if (status !== null && !isShipmentStatus(status)) violations.add("status", "is not a shipment status");

  const pageSize = resolvePageSize(input.pageSize, violations);
  const filters: ShipmentFilters = { orderId, customerId, status: status as ShipmentStatus | null };
  // A token remembers the filters it was made for: reused with others it would skip or repeat
  // shipments, so it is refused.
  const filtersMatch = (body: Readonly<Record<string, unknown>>): body is { after: string } =>
    isUuid(body.after) &&
    body.order_id === (filters.orderId ?? "") &&
    body.customer_id === (filters.customerId ?? "") &&
    body.status === (filters.status ?? "");
  const position = decodePageToken(LIST, input.pageToken, filtersMatch, violations);

  violations.throwIfAny();
  return { ...filters, pageSize, afterId: position === undefined ? null : position.after.toLowerCase() };
}

/** The token for the page after `afterId`, bound to the filters of this listing. */
export function nextPageToken(afterId: string, filters: ShipmentFilters): string {
  return encodePageToken(LIST, {
    after: afterId,
    order_id: filters.orderId ?? "",
    customer_id: filters.customerId ?? "",
    status: filters.status ?? "",
  });
}

/** Empty or absent: no filter (null); anything else must be text of 1 to `max` characters. */
function optionalText(
  value: string | undefined,
  field: string,
  max: number,
  violations: Violations,
): string | null {
  if (value === undefined || value === "") return null;
  violations.check(field, textProblem(value, { min: 1, max }));
  return value;
}
