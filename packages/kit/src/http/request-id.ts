import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * What we accept from a caller: long enough for UUIDs, ULIDs, W3C trace ids and the usual
 * `<prefix>-<id>` forms, and nothing that could break a log line or a header (no spaces, quotes,
 * control characters).
 */
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function isAcceptableRequestId(value: unknown): value is string {
  return typeof value === "string" && ACCEPTABLE.test(value);
}

/**
 * fastify's `genReqId`: honours the caller's `x-request-id` when it is sane, otherwise a fresh
 * UUID. Used instead of fastify's `requestIdHeader`, which trusts the header verbatim.
 */
export function genRequestId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return isAcceptableRequestId(incoming) ? incoming : randomUUID();
}
