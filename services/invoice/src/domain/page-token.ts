/** Where the next page starts, and the filters the token was issued for. */
export interface ListCursor {
  readonly orderId: string;
  readonly customerId: string;
  readonly afterId: string;
}

const VERSION = 1;

/**
 * Tokens are opaque to clients (base64url of a small JSON document) so that the keyset behind them
 * can change without an API change; the version field lets a later format reject old tokens cleanly.
 */
export function encodePageToken(cursor: ListCursor): string {
  const document = { v: VERSION, o: cursor.orderId, c: cursor.customerId, a: cursor.afterId };
  return Buffer.from(JSON.stringify(document), "utf8").toString("base64url");
}

/** The cursor, or undefined when the token is not one we issued in this format. */
export function decodePageToken(token: string): ListCursor | undefined {
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof document !== "object" || document === null) return undefined;
  const { v, o, c, a } = document as Record<string, unknown>;
  if (v !== VERSION || typeof o !== "string" || typeof c !== "string" || typeof a !== "string")
    return undefined;
  return { orderId: o, customerId: c, afterId: a };
}
