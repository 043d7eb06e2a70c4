import { AppError, Code, failedPrecondition, notFound } from "@orderly/kit/errors";

/**
 * The order's own reasons, from OrderErrorReason in proto/orderly/order/v1/order.proto (without the
 * prefix): errors the API answers with, and why an order ended REJECTED, FAILED or CANCELLED. Peer
 * adapters translate other services' reasons into these, so the domain never reads theirs.
 */
export const OrderReason = {
  ORDER_NOT_FOUND: "ORDER_NOT_FOUND",
  IDEMPOTENCY_KEY_MISSING: "IDEMPOTENCY_KEY_MISSING",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  ORDER_NOT_CANCELLABLE: "ORDER_NOT_CANCELLABLE",
  SKU_NOT_FOUND: "SKU_NOT_FOUND",
  MIXED_CURRENCIES: "MIXED_CURRENCIES",
  CANCELLED_BY_CUSTOMER: "CANCELLED_BY_CUSTOMER",
  OUT_OF_STOCK: "OUT_OF_STOCK",
  CURRENCY_NOT_ACCEPTED: "CURRENCY_NOT_ACCEPTED",
  INVOICE_REFUSED: "INVOICE_REFUSED",
  SHIPMENT_REFUSED: "SHIPMENT_REFUSED",
  RESERVATION_LOST: "RESERVATION_LOST",
  SHIPMENT_MISMATCH: "SHIPMENT_MISMATCH",
  INVALID_TRANSITION: "INVALID_TRANSITION",
  ORDER_NOT_READY: "ORDER_NOT_READY",
} as const;
export type OrderReason = (typeof OrderReason)[keyof typeof OrderReason];

export function orderNotFound(id: string): AppError {
  return notFound(OrderReason.ORDER_NOT_FOUND, `order ${id} not found`, { id });
}

export function idempotencyKeyMissing(): AppError {
  return new AppError({
    code: Code.INVALID_ARGUMENT,
    reason: OrderReason.IDEMPOTENCY_KEY_MISSING,
    message: "idempotency-key is required (gRPC metadata `idempotency-key`, HTTP header `Idempotency-Key`)",
    details: { field: "idempotency_key" },
  });
}

export function idempotencyKeyReused(key: string): AppError {
  return failedPrecondition(
    OrderReason.IDEMPOTENCY_KEY_REUSED,
    "this idempotency key was used with a different request",
    { idempotency_key: key },
  );
}

export function notCancellable(id: string, status: string): AppError {
  return failedPrecondition(
    OrderReason.ORDER_NOT_CANCELLABLE,
    `order ${id} is ${status} and can no longer be cancelled`,
    { id, status },
  );
}

export function skusNotFound(skus: readonly string[]): AppError {
  return notFound(OrderReason.SKU_NOT_FOUND, `unknown SKU: ${skus.join(", ")}`, { skus });
}

export function shipmentMismatch(orderId: string, shipmentId: string): AppError {
  return failedPrecondition(
    OrderReason.SHIPMENT_MISMATCH,
    `shipment ${shipmentId} is not the shipment of order ${orderId}`,
    { order_id: orderId, shipment_id: shipmentId },
  );
}

export function invalidTransition(orderId: string, from: string, to: string): AppError {
  return failedPrecondition(
    OrderReason.INVALID_TRANSITION,
    `order ${orderId} cannot go from ${from} to ${to}`,
    {
      order_id: orderId,
      from,
      to,
    },
  );
}

/** The event is early (the saga has not confirmed the order yet): the sender should retry it. */
export function orderNotReady(orderId: string): AppError {
  return new AppError({
    code: Code.ABORTED,
    reason: OrderReason.ORDER_NOT_READY,
    message: `order ${orderId} is not confirmed yet; retry the event`,
    details: { order_id: orderId, retryAfterMs: 200 },
  });
}
