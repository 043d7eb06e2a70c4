/** One field a server refused, as the server named it (`lines[0].quantity`). */
export interface FieldViolation {
  field: string;
  description: string;
}

/** gRPC status names, so callers compare strings (`error.code === "NOT_FOUND"`) instead of numbers. */
export const STATUS_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

export function statusName(code: number): StatusName {
  return STATUS_NAMES[code] ?? "UNKNOWN";
}

export interface OrderlyErrorInit {
  code: StatusName;
  reason: string;
  message: string;
  fieldViolations?: readonly FieldViolation[];
  /** The rest of what the server sent about the error (domain details such as `sku`). */
  details?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

/**
 * Every failure of an Orderly call: the gRPC status name, the server's UPPER_SNAKE reason
 * (`ORDER_NOT_FOUND`, `VALIDATION_FAILED`…, or a transport reason such as `PEER_UNAVAILABLE`), its
 * message, and the fields it refused.
 */
export class OrderlyError extends Error {
  override readonly name = "OrderlyError";
  readonly code: StatusName;
  readonly reason: string;
  readonly fieldViolations: readonly FieldViolation[];
  readonly details: Readonly<Record<string, unknown>>;

  constructor(init: OrderlyErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.reason = init.reason;
    this.fieldViolations = init.fieldViolations ?? [];
    this.details = init.details ?? {};
  }
}

export function isOrderlyError(value: unknown): value is OrderlyError {
  return value instanceof OrderlyError;
}
