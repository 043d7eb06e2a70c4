import { sql } from "kysely";
import type { Clock } from "../domain/clock.ts";
import type { Database } from "./database.types.ts";

/**
 * The database's clock, read once and then carried forward by this process's monotonic clock.
 * Replicas compare each other's timestamps (a saga lease's end, a retry's due time) against it, so
 * they must agree on "now" whatever their hosts' wall clocks say: a host whose clock jumps would
 * otherwise see every other replica's lease as expired (double work) or schedule its own retries
 * an hour out of everyone's reach (stuck work). The monotonic clock never steps with the wall clock
 * (NTP only slews it), so one reading at start is enough; the reading is taken at the midpoint of
 * its round trip, so it is off by at most half of one.
 */
export async function databaseClock<DB>(database: Pick<Database<DB>, "db">): Promise<Clock> {
  const sentAt = performance.now();
  const { rows } = await sql<{ now: Date | string }>`select now() as now`.execute(database.db);
  const receivedAt = performance.now();
  const reading = rows[0]?.now;
  if (reading === undefined) throw new Error("the database did not answer select now()");
  const anchorMs = new Date(reading).getTime() + (receivedAt - sentAt) / 2;
  return { now: () => new Date(anchorMs + (performance.now() - receivedAt)) };
}
