import { textProblem } from "@orderly/contracts/rules";
import { isShipmentStatus, type ShipmentStatus } from "../shipment-status.ts";
import { CUSTOMER_ID_LIMITS, MAX_ORDER_ID_LENGTH } from "./create-shipment.validation.ts";
import { decodePageToken } from "./page-token.ts";
import { charLength, Violations } from "./violations.ts";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

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

export interface ValidListShipments {
  readonly orderId: string | null;
  readonly customerId: string | null;
  readonly status: ShipmentStatus | null;
  readonly pageSize: number;
  readonly afterId: string | null;
}

export function validateListShipments(input: ListShipmentsInput): ValidListShipments {
  const violations = new Violations();

  const orderId = input.orderId === undefined || input.orderId === "" ? null : input.orderId;
  if (orderId !== null && (typeof orderId !== "string" || charLength(orderId) > MAX_ORDER_ID_LENGTH))
    violations.add("order_id", `must be at most ${MAX_ORDER_ID_LENGTH} characters`);

  const customerId = input.customerId === undefined || input.customerId === "" ? null : input.customerId;
  if (customerId !== null) {
    const problem = textProblem(customerId, CUSTOMER_ID_LIMITS);
    if (problem !== undefined) violations.add("customer_id", problem);
  }

  const rawStatus = input.status;
  const status =
    rawStatus === undefined || rawStatus === "" || rawStatus === "UNSPECIFIED" ? null : rawStatus;
  if (status !== null && !isShipmentStatus(status)) violations.add("status", "is not a shipment status");

  const pageSize = input.pageSize === undefined || input.pageSize === 0 ? DEFAULT_PAGE_SIZE : input.pageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    violations.add("page_size", `must be between 1 and ${MAX_PAGE_SIZE} (0 means ${DEFAULT_PAGE_SIZE})`);

  violations.throwIfAny();
  const filters = { orderId, customerId, status: status as ShipmentStatus | null };
  const token = input.pageToken;
  const afterId = token === undefined || token === "" ? null : decodePageToken(token, filters).afterId;
  return { ...filters, pageSize, afterId };
}
