/**
 * gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html): the one code space
 * every Orderly error uses, whatever transport carries it.
 */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type Code = (typeof Code)[keyof typeof Code];

const names = Object.fromEntries(Object.entries(Code).map(([name, value]) => [value, name])) as Record<
  Code,
  keyof typeof Code
>;

export function codeName(code: Code): keyof typeof Code {
  return names[code];
}

export function isCode(value: unknown): value is Code {
  return typeof value === "number" && value in names;
}

/**
 * The HTTP status a code maps to, following google.rpc.Code's documented HTTP mapping except for
 * FAILED_PRECONDITION, which is 422 (google.rpc says 400): the request was well-formed, the state of
 * the resource forbids it, and clients must not confuse it with a validation failure.
 */
export function httpStatusOf(code: Code): number {
  switch (code) {
    case Code.OK:
      return 200;
    case Code.CANCELLED:
      return 499;
    case Code.INVALID_ARGUMENT:
    case Code.OUT_OF_RANGE:
      return 400;
    case Code.DEADLINE_EXCEEDED:
      return 504;
    case Code.NOT_FOUND:
      return 404;
    case Code.ALREADY_EXISTS:
    case Code.ABORTED:
      return 409;
    case Code.PERMISSION_DENIED:
      return 403;
    case Code.UNAUTHENTICATED:
      return 401;
    case Code.RESOURCE_EXHAUSTED:
      return 429;
    case Code.FAILED_PRECONDITION:
      return 422;
    case Code.UNIMPLEMENTED:
      return 501;
    case Code.UNAVAILABLE:
      return 503;
    default:
      return 500;
  }
}
