import type { Violations } from "../values/violations.ts";

/*
 * Page tokens are opaque to clients: base64url of a small JSON object naming the list it belongs to
 * (so a token from one list is refused by another) and the keyset position to continue after.
 */

const INVALID = "is not a page token from a previous response of this list";

interface ItemsToken {
  list: "items";
  afterSku: string;
}

interface AdjustmentsToken {
  list: "adjustments";
  sku: string;
  afterSequence: number;
}

function encode(body: ItemsToken | AdjustmentsToken): string {
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

function decode(token: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const body: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function encodeItemsPageToken(afterSku: string): string {
  return encode({ list: "items", afterSku });
}

/** The SKU to continue after; undefined for the first page. A bad token is a `page_token` problem. */
export function decodeItemsPageToken(token: string | undefined, violations: Violations): string | undefined {
  if (token === undefined || token === "") return undefined;
  const body = decode(token);
  const afterSku = body?.list === "items" && typeof body.afterSku === "string" ? body.afterSku : undefined;
  violations.check("page_token", afterSku === undefined ? INVALID : undefined);
  return afterSku;
}

export function encodeAdjustmentsPageToken(sku: string, afterSequence: number): string {
  return encode({ list: "adjustments", sku, afterSequence });
}

/**
 * The sequence number to continue after; undefined for the first page. A token minted for another
 * SKU is refused: its position means nothing in this SKU's trail.
 */
export function decodeAdjustmentsPageToken(
  token: string | undefined,
  sku: string,
  violations: Violations,
): number | undefined {
  if (token === undefined || token === "") return undefined;
  const body = decode(token);
  const afterSequence =
    body?.list === "adjustments" &&
    body.sku === sku &&
    typeof body.afterSequence === "number" &&
    Number.isSafeInteger(body.afterSequence)
      ? body.afterSequence
      : undefined;
  violations.check("page_token", afterSequence === undefined ? INVALID : undefined);
  return afterSequence;
}
