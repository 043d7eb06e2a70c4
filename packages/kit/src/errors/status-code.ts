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
  // A number outside the code space (a peer's newer code) is a server error, as UNKNOWN is.
  return httpStatus[code] ?? 500;
}

const httpStatus: Readonly<Record<Code, number>> = {
  [Code.OK]: 200,
  [Code.CANCELLED]: 499,
  [Code.UNKNOWN]: 500,
  [Code.INVALID_ARGUMENT]: 400,
  [Code.DEADLINE_EXCEEDED]: 504,
  [Code.NOT_FOUND]: 404,
  [Code.ALREADY_EXISTS]: 409,
  [Code.PERMISSION_DENIED]: 403,
  [Code.RESOURCE_EXHAUSTED]: 429,
  [Code.FAILED_PRECONDITION]: 422,
  [Code.ABORTED]: 409,
  [Code.OUT_OF_RANGE]: 400,
  [Code.UNIMPLEMENTED]: 501,
  [Code.INTERNAL]: 500,
  [Code.UNAVAILABLE]: 503,
  [Code.DATA_LOSS]: 500,
  [Code.UNAUTHENTICATED]: 401,
};
