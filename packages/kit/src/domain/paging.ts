import type { Violations } from "./violations.ts";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  /** Opaque token for the next page; undefined on the last page. */
  next: string | undefined;
}

/** 1 to 100; 0 (or absent) means 50. Anything else is recorded as a `page_size` problem. */
export function resolvePageSize(value: number | undefined, violations: Violations): number {
  if (value === undefined || value === 0) return DEFAULT_PAGE_SIZE;
  const ok = violations.check(
    "page_size",
    Number.isInteger(value) && value >= 1 && value <= MAX_PAGE_SIZE
      ? undefined
      : `must be from 1 to ${MAX_PAGE_SIZE} (0 means ${DEFAULT_PAGE_SIZE})`,
  );
  return ok ? value : DEFAULT_PAGE_SIZE;
}

const INVALID_TOKEN = "is not a page token from a previous response of this list";

/**
 * Page tokens are opaque to clients: base64url of a small JSON object naming the list it belongs to
 * (so a token from one list is refused by another) and the keyset position to continue after.
 */
export function encodePageToken(list: string, position: Readonly<Record<string, string | number>>): string {
  return Buffer.from(JSON.stringify({ list, ...position }), "utf8").toString("base64url");
}

/**
 * The position a token from `encodePageToken(list, …)` carries, checked by `isPosition`; undefined
 * for the first page (no token). A token that is not one of ours is recorded as a `page_token`
 * problem and also gives undefined.
 */
export function decodePageToken<P>(
  list: string,
  token: string | undefined,
  isPosition: (body: Readonly<Record<string, unknown>>) => body is Readonly<Record<string, unknown>> & P,
  violations: Violations,
): P | undefined {
  if (token === undefined || token === "") return undefined;
  const body = parseToken(token);
  if (body?.list === list && isPosition(body)) return body;
  violations.add("page_token", INVALID_TOKEN);
  return undefined;
}

function parseToken(token: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(token)) return undefined;
  try {
    const body: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    return typeof body === "object" && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
