import { textProblem } from "@orderly/contracts/rules";
import {
  decodePageToken,
  encodePageToken,
  isUuid,
  type Page,
  resolvePageSize,
  Violations,
} from "@orderly/kit/domain";
import type { Order } from "../order.ts";
import type { OrderRepository } from "../ports/order.repository.port.ts";

export interface ListOrdersQuery {
  customerId: string;
  pageSize: number;
  pageToken: string;
}

const LIST = "orders";
const isPosition = (body: Readonly<Record<string, unknown>>): body is { after: string } =>
  typeof body.after === "string" && isUuid(body.after);

/** A customer's orders, newest first, keyset-paginated (no scan grows with the table). */
export function makeListOrders(deps: { orders: OrderRepository }) {
  return async function listOrders(query: ListOrdersQuery): Promise<Page<Order>> {
    const violations = new Violations();
    violations.check("customer_id", textProblem(query.customerId, { min: 1, max: 128 }));
    const pageSize = resolvePageSize(query.pageSize, violations);
    const position = decodePageToken(LIST, query.pageToken, isPosition, violations);
    violations.throwIfAny();
    const rows = await deps.orders.listByCustomer(query.customerId, pageSize + 1, position?.after);
    const items = rows.slice(0, pageSize);
    const last = items.at(-1);
    const next = rows.length > pageSize && last ? encodePageToken(LIST, { after: last.id }) : undefined;
    return { items, next };
  };
}
