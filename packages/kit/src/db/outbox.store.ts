import { type Kysely, sql } from "kysely";
import type { AnySchema } from "./any-schema.ts";
import type { OutboxMessage } from "./outbox.ts";
import { type PrecompiledQuery, precompile } from "./precompiled-query.ts";

interface ClaimedRow {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
}

interface ClaimParams {
  delivered: string[];
  limit: number;
  lease_ms: number;
}

/** The relay's queries against kit_outbox. Times come from the database clock, never the relay's. */
export class OutboxStore {
  readonly #db: Kysely<AnySchema>;
  readonly #claim: PrecompiledQuery<AnySchema, ClaimParams, ClaimedRow>;

  constructor(db: Kysely<AnySchema>, topics: readonly string[] | undefined) {
    this.#db = db;
    this.#claim = claimStatement(topics);
  }

  /**
   * Marks `delivered` (ids this relay delivered since its last claim) delivered, and leases up to
   * `limit` due messages, in one statement: a busy relay settles a batch and takes the next in one
   * round trip and one commit instead of one per message plus a claim.
   *
   * Each leased message is the oldest pending message of its key (so a key's messages go out in
   * order, and a failing one holds back the rest of its key until delivered or dead); a message
   * being marked delivered here no longer counts as pending, so its key's next message may be
   * leased at once. Rows are locked with SKIP LOCKED so concurrent relays take disjoint rows, and
   * pushed `leaseMs` into the future so nobody else takes them while they are being delivered. If
   * this relay dies, the lease expires and another relay delivers them again. Counts the attempt
   * now, so a message that crashes the relay still reaches maxAttempts.
   */
  async claim(limit: number, leaseMs: number, delivered: readonly string[] = []): Promise<OutboxMessage[]> {
    const { rows } = await this.#claim.execute(this.#db, {
      delivered: [...delivered],
      limit,
      lease_ms: leaseMs,
    });
    return rows
      .map((row) => ({
        id: row.id,
        topic: row.topic,
        key: row.key,
        payload: row.payload,
        attempts: row.attempts - 1,
        createdAt: row.created_at,
      }))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  }

  /**
   * Marks delivered messages delivered, when no claim follows (the relay is stopping). Guarded by
   * status, as in claim, so a late relay cannot resurrect a message another relay already settled.
   */
  async markDelivered(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await sql`
      update kit_outbox set status = 'delivered', delivered_at = now(), last_error = null
      where id = any(${sql.val([...ids])}::uuid[]) and status = 'pending'
    `.execute(this.#db);
  }

  async markFailed(id: string, error: string, retryInMs: number | "dead"): Promise<void> {
    const next =
      retryInMs === "dead"
        ? sql`status = 'dead'`
        : sql`next_attempt_at = now() + ${retryInMs}::bigint * interval '1 millisecond'`;
    await sql`
      update kit_outbox set last_error = ${error}, ${next}
      where id = ${id} and status = 'pending'
    `.execute(this.#db);
  }

  async countPendingByTopic(): Promise<Map<string, number>> {
    const { rows } = await sql<{ topic: string; pending: number }>`
      select topic, count(*) as pending from kit_outbox where status = 'pending' group by topic
    `.execute(this.#db);
    return new Map(rows.map((row) => [row.topic, row.pending]));
  }

  /** Deletes delivered messages older than the retention, a bounded chunk at a time. */
  async pruneDelivered(retentionMs: number, limit = 1000): Promise<number> {
    const result = await sql`
      delete from kit_outbox where id in (
        select id from kit_outbox
        where status = 'delivered' and delivered_at < now() - ${retentionMs}::bigint * interval '1 millisecond'
        limit ${limit}
      )
    `.execute(this.#db);
    return Number(result.numAffectedRows ?? 0n);
  }
}

/** The claim statement of claim() for a relay of `topics` (all when undefined), compiled once. */
function claimStatement(topics: readonly string[] | undefined) {
  return precompile((_db: Kysely<AnySchema>, p: ClaimParams) => {
    const inTopics = (alias: string) =>
      topics === undefined
        ? sql``
        : sql`and ${sql.ref(`${alias}.topic`)} = any(${sql.val([...topics])}::text[])`;
    return sql<ClaimedRow>`
      with settled as (
        update kit_outbox set status = 'delivered', delivered_at = now(), last_error = null
        where id = any(${p.delivered}::uuid[]) and status = 'pending'
      ), due as (
        select o.id from kit_outbox o
        where o.status = 'pending' and o.next_attempt_at <= now() ${inTopics("o")}
          and o.id <> all(${p.delivered}::uuid[])
          and not exists (
            select 1 from kit_outbox p
            where p.key = o.key and p.status = 'pending' ${inTopics("p")}
              and p.id <> all(${p.delivered}::uuid[])
              and (p.created_at, p.id) < (o.created_at, o.id)
          )
        order by o.created_at, o.id
        limit ${p.limit}
        for update of o skip locked
      )
      update kit_outbox t
      set attempts = t.attempts + 1,
          next_attempt_at = now() + ${p.lease_ms}::bigint * interval '1 millisecond'
      from due where t.id = due.id
      returning t.id, t.topic, t.key, t.payload, t.attempts, t.created_at
    `;
  });
}
