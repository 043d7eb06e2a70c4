import { AppError, Code, failedPrecondition, notFound } from "@orderly/kit/errors";

/** Reasons from OrderErrorReason in proto/orderly/order/v1/order.proto, without the prefix. */
export const OrderReason = {
  ORDER_NOT_FOUND: "ORDER_NOT_FOUND",
  IDEMPOTENCY_KEY_MISSING: "IDEMPOTENCY_KEY_MISSING",
  IDEMPOTENCY_KEY_REUSED: "IDEMPOTENCY_KEY_REUSED",
  ORDER_NOT_CANCELLABLE: "ORDER_NOT_CANCELLABLE",
  SKU_NOT_FOUND: "SKU_NOT_FOUND",
} as const;

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
    {
      id,
      status,
    },
  );
}

export function skusNotFound(skus: readonly string[]): AppError {
  return notFound(OrderReason.SKU_NOT_FOUND, `unknown SKU: ${skus.join(", ")}`, { skus });
}
