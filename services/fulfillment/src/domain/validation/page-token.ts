import { validationError } from "@orderly/kit/errors";
import type { ShipmentStatus } from "../shipment-status.ts";
import { isShipmentId } from "./shipment-id.validation.ts";

/** What a page token remembers: where the last page ended, and the filters it was made for. */
export interface PageCursor {
  readonly afterId: string;
  readonly orderId: string | null;
  readonly customerId: string | null;
  readonly status: ShipmentStatus | null;
}

// Opaque to clients (base64url of a small JSON document); the version lets us change the format
// without misreading tokens handed out by an older release.
const VERSION = 1;

export function encodePageToken(cursor: PageCursor): string {
  const doc = { v: VERSION, a: cursor.afterId, o: cursor.orderId, c: cursor.customerId, s: cursor.status };
  return Buffer.from(JSON.stringify(doc), "utf8").toString("base64url");
}

/**
 * The cursor in `token`, which must have been made for the same filters: a token reused with other
 * filters would silently skip or repeat shipments, so it is refused.
 */
export function decodePageToken(token: string, filters: Omit<PageCursor, "afterId">): PageCursor {
  const doc = parse(token);
  if (
    doc === null ||
    doc.v !== VERSION ||
    !isShipmentId(doc.a) ||
    doc.o !== filters.orderId ||
    (doc.c ?? null) !== filters.customerId ||
    doc.s !== filters.status
  ) {
    throw validationError({
      field: "page_token",
      description: "is not a page token from a previous call with the same filters",
    });
  }
  return { afterId: doc.a.toLowerCase(), ...filters };
}

function parse(token: string): Record<string, unknown> | null {
  try {
    const doc: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
