import { type Kysely, sql, type Transaction } from "kysely";
import { validationError } from "../errors/index.ts";
import type { AnySchema } from "./any-schema.ts";
import type { KitTables } from "./kit-tables.ts";
import { uuidv7 } from "./uuidv7.ts";

/** A message as handed to the relay's `deliver`. */
export interface OutboxMessage {
  id: string;
  topic: string;
  key: string;
  /** The JSON value given to enqueueOutbox, parsed back. */
  payload: unknown;
  /** Delivery attempts before this one (0 on the first delivery). */
  attempts: number;
  createdAt: Date;
}

export interface OutboxEnqueue {
  topic: string;
  /** Messages with the same key are delivered in the order they were enqueued (e.g. an order id). */
  key: string;
  /** Any JSON-serializable value. */
  payload: unknown;
  /** Defaults to a new UUIDv7. Enqueueing an id that is already there is a no-op (idempotent retries). */
  id?: string;
}

/** Channel the relay listens on, so a commit wakes it instead of waiting for the next poll. */
export const OUTBOX_CHANNEL = "kit_outbox";

/**
 * Records a message to publish, in the caller's transaction: it is delivered if and only if that
 * transaction commits. Returns the message id.
 */
export async function enqueueOutbox(
  trx: Transaction<AnySchema> | Kysely<AnySchema>,
  message: OutboxEnqueue,
): Promise<string> {
  const db = trx as Kysely<KitTables>;
  const violations = [];
  if (typeof message.topic !== "string" || message.topic === "")
    violations.push({ field: "topic", description: "must be a non-empty string" });
  if (typeof message.key !== "string" || message.key === "")
    violations.push({ field: "key", description: "must be a non-empty string" });
  const json = message.payload === undefined ? undefined : JSON.stringify(message.payload);
  if (json === undefined) violations.push({ field: "payload", description: "must be JSON-serializable" });
  if (violations.length > 0 || json === undefined) throw validationError(violations);
  const id = message.id ?? uuidv7();
  await db
    .insertInto("kit_outbox")
    .values({
      id,
      topic: message.topic,
      key: message.key,
      // Cast from text so neither driver re-serializes the JSON (pg would turn arrays into PG arrays).
      payload: sql<string>`cast(${json}::text as jsonb)`,
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  await sql`select pg_notify(${OUTBOX_CHANNEL}, '')`.execute(db);
  return id;
}
