import { v7 } from "uuid";

/**
 * An RFC 9562 UUIDv7 from the `uuid` package: 48-bit Unix milliseconds, then a counter seeded
 * randomly each millisecond, then random bits. Ids sort by creation time (and, from one process,
 * in creation order within a millisecond), which keeps b-tree inserts local. The name stays so
 * callers (`newId: uuidv7`) need not change; `timestampMs` pins the time (tests, backfills).
 */
export function uuidv7(timestampMs?: number): string {
  return timestampMs === undefined ? v7() : v7({ msecs: timestampMs });
}
