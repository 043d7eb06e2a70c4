/**
 * Transactional-outbox relay: leases due rows in batches (FOR UPDATE SKIP LOCKED, a lease so a
 * crashed relay's batch is taken over), delivers one message per key at a time, retries with
 * jittered backoff, dead-letters after maxAttempts, and wakes on LISTEN/NOTIFY instead of polling.
 *
 * Libraries weighed, and why this stays ours:
 * - `pg-boss` / `graphile-worker`: PostgreSQL job queues with their own schema and worker loop;
 *   an outbox row must be written by the domain's own Kysely transaction, on PGlite as well as on
 *   PostgreSQL, which neither supports (both need a `pg` pool and their migrations).
 * - Debezium / an outbox CDC connector: the standard at scale, but a JVM service and logical
 *   replication for a platform whose default runs embedded in one process.
 * - A broker's de-duplication (JetStream's Nats-Msg-Id = event id) covers the publish side; what
 *   remains — leasing, per-key order, backoff, dead letters — is this file.
 */
import type { Registry } from "prom-client";
import type { AnySchema } from "./any-schema.ts";
import { type BackoffOptions, backoffDelayMs } from "./backoff.ts";
import type { Database, DbLogger } from "./database.types.ts";
import { noOutboxMetrics, type OutboxMetrics, registerOutboxMetrics } from "./outbox.metrics.ts";
import { OutboxStore } from "./outbox.store.ts";
import { OUTBOX_CHANNEL, type OutboxMessage } from "./outbox.ts";
import { positiveOption } from "./positive-option.ts";
import { WakeableSleep } from "./wakeable-sleep.ts";

export interface OutboxRelayOptions {
  database: Database<AnySchema>;
  /** Publishes one message; throw to have it retried later (with backoff). */
  deliver(message: OutboxMessage): Promise<void>;
  log: DbLogger;
  /** Registers outbox_* metrics on this registry when given. */
  metrics?: { registry: Registry };
  /** Only relay these topics (default: all). Per-key order is then kept within these topics. */
  topics?: string[];
  /** Messages leased per batch, default 50. */
  batchSize?: number;
  /** How often to look for due messages when idle, default 500 ms (a commit wakes the relay sooner). */
  pollIntervalMs?: number;
  /** Attempts before a message is dead-lettered (kept with status 'dead', not retried), default 20. */
  maxAttempts?: number;
  /** Retry delay after a failure: exponential with full jitter, default 200 ms .. 30 s. */
  backoff?: BackoffOptions;
  /**
   * How long a leased batch is reserved for this relay, default 60 s. A whole batch should be
   * delivered within it; after it expires (a crashed relay) another relay delivers those messages.
   */
  leaseMs?: number;
  /** Delivered messages are deleted after this long, default 24 h. Dead ones are kept. */
  deliveredRetentionMs?: number;
}

interface Settings {
  batchSize: number;
  pollIntervalMs: number;
  maxAttempts: number;
  backoff: BackoffOptions;
  leaseMs: number;
  deliveredRetentionMs: number;
}

const PRUNE_EVERY_MS = 60_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Delivers kit_outbox messages at least once: lease due messages, deliver them in created order per
 * key, mark them delivered, or reschedule failures with backoff until maxAttempts dead-letters them.
 * Delivery and database errors are logged and retried; they never escape the relay.
 */
export class OutboxRelay {
  readonly #options: OutboxRelayOptions;
  readonly #settings: Settings;
  readonly #store: OutboxStore;
  readonly #metrics: OutboxMetrics;
  #loop: Promise<void> | undefined;
  #running = false;
  /** The idle pause, ended early by a NOTIFY or stop(). */
  readonly #pause = new WakeableSleep();
  #unlisten: Promise<(() => Promise<void>) | undefined> | undefined;
  #lastPruneAt = 0;
  /** Delivered since the last claim; the next claim marks them delivered in the same statement. */
  #delivered: string[] = [];

  constructor(options: OutboxRelayOptions) {
    this.#options = options;
    this.#settings = {
      batchSize: positiveOption("OutboxRelay", "batchSize", options.batchSize ?? 50),
      pollIntervalMs: positiveOption("OutboxRelay", "pollIntervalMs", options.pollIntervalMs ?? 500),
      maxAttempts: positiveOption("OutboxRelay", "maxAttempts", options.maxAttempts ?? 20),
      backoff: validBackoff(options.backoff ?? { initialMs: 200, maxMs: 30_000 }),
      leaseMs: positiveOption("OutboxRelay", "leaseMs", options.leaseMs ?? 60_000),
      deliveredRetentionMs: positiveOption(
        "OutboxRelay",
        "deliveredRetentionMs",
        options.deliveredRetentionMs ?? 86_400_000,
      ),
    };
    this.#store = new OutboxStore(options.database.db, options.topics);
    this.#metrics = options.metrics
      ? registerOutboxMetrics(
          options.metrics.registry,
          () => this.#store.countPendingByTopic(),
          (err) => options.log.warn({ err }, "outbox backlog not collected"),
        )
      : noOutboxMetrics;
  }

  /** Starts the background loop (idempotent). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unlisten = this.#options.database
      .listen(OUTBOX_CHANNEL, () => this.#pause.wake())
      .catch((err: unknown) => {
        this.#options.log.warn({ err }, "outbox relay cannot LISTEN; relying on polling");
        return undefined;
      });
    // Look for work only once LISTEN is active: a commit between a first look and the LISTEN
    // would otherwise wait a whole poll interval.
    this.#loop = this.#unlisten.then(() => this.#run());
  }

  /** Stops the loop after the in-flight batch has been delivered and marked delivered. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#pause.wake();
    const loop = this.#loop;
    const unlisten = this.#unlisten;
    this.#loop = undefined;
    this.#unlisten = undefined;
    await loop;
    const stopListening = await unlisten;
    await stopListening?.().catch(() => {});
  }

  /** Delivers every message due now (batch after batch) and returns how many were delivered. */
  async drainOnce(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const batch = await this.#deliverBatch();
      delivered += batch.delivered;
      if (batch.claimed === 0) {
        await this.#settleDelivered();
        return delivered;
      }
      await yieldToEventLoop();
    }
  }

  async #run(): Promise<void> {
    const { pollIntervalMs, backoff } = this.#settings;
    let errorDelayMs = pollIntervalMs;
    while (this.#running) {
      try {
        const { claimed } = await this.#deliverBatch();
        await this.#pruneIfDue();
        errorDelayMs = pollIntervalMs;
        // PGlite runs queries on this thread: give the rest of the process a turn between batches.
        if (claimed > 0) await yieldToEventLoop();
        else await this.#pause.sleep(pollIntervalMs);
      } catch (err) {
        this.#options.log.error({ err, retryInMs: errorDelayMs }, "outbox relay batch failed; retrying");
        await this.#pause.sleep(errorDelayMs);
        errorDelayMs = Math.min(errorDelayMs * 2, Math.max(backoff.maxMs, pollIntervalMs));
      }
    }
    await this.#settleDelivered().catch((err: unknown) =>
      // Their leases expire and another relay delivers them again: at least once, as always.
      this.#options.log.warn({ err }, "outbox relay could not mark its last deliveries delivered"),
    );
  }

  /** Marks what was delivered since the last claim delivered, with no claim after it. */
  async #settleDelivered(): Promise<void> {
    const delivered = this.#delivered;
    this.#delivered = [];
    await this.#store.markDelivered(delivered);
  }

  /**
   * Marks the previous batch's deliveries delivered and claims the next batch (one statement), then
   * delivers it concurrently: a claim holds at most one message per key, so per-key order holds
   * while a slow peer no longer costs one round trip per message. Database errors propagate once
   * every delivery has settled (unsettled leases expire); delivery errors do not.
   */
  async #deliverBatch(): Promise<{ claimed: number; delivered: number }> {
    const settling = this.#delivered;
    this.#delivered = [];
    let messages: OutboxMessage[];
    try {
      messages = await this.#store.claim(this.#settings.batchSize, this.#settings.leaseMs, settling);
    } catch (err) {
      // Not marked: keep them for the next claim (marking twice is harmless, status guards it).
      this.#delivered = settling.concat(this.#delivered);
      throw err;
    }
    const outcomes = await Promise.allSettled(messages.map((message) => this.#deliverOne(message)));
    const databaseError = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    if (databaseError) throw databaseError.reason;
    const delivered = outcomes.filter((o) => o.status === "fulfilled" && o.value).length;
    return { claimed: messages.length, delivered };
  }

  /** True when delivered; a delivery failure is recorded for retry. Rejects only on database errors. */
  async #deliverOne(message: OutboxMessage): Promise<boolean> {
    try {
      await this.#options.deliver(message);
    } catch (err) {
      await this.#recordFailure(message, err);
      return false;
    }
    this.#delivered.push(message.id);
    this.#metrics.delivered(message.topic);
    return true;
  }

  async #recordFailure(message: OutboxMessage, err: unknown): Promise<void> {
    const attempt = message.attempts + 1;
    const dead = attempt >= this.#settings.maxAttempts;
    const retryInMs = dead ? "dead" : backoffDelayMs(attempt, this.#settings.backoff);
    await this.#store.markFailed(message.id, describe(err), retryInMs);
    this.#metrics.failed(message.topic);
    const context = { err, id: message.id, topic: message.topic, key: message.key, attempt };
    if (dead) {
      this.#metrics.deadLettered(message.topic);
      this.#options.log.error(context, "outbox message dead-lettered after maxAttempts");
    } else {
      this.#options.log.warn({ ...context, retryInMs }, "outbox delivery failed; will retry");
    }
  }

  async #pruneIfDue(): Promise<void> {
    if (Date.now() - this.#lastPruneAt < PRUNE_EVERY_MS) return;
    this.#lastPruneAt = Date.now();
    await this.#store.pruneDelivered(this.#settings.deliveredRetentionMs);
  }
}

function validBackoff(backoff: BackoffOptions): BackoffOptions {
  const { initialMs, maxMs } = backoff;
  if (!Number.isInteger(initialMs) || !Number.isInteger(maxMs) || initialMs < 0 || maxMs < initialMs) {
    throw new RangeError(
      `OutboxRelay option backoff needs integers 0 <= initialMs <= maxMs, got ${initialMs}/${maxMs}`,
    );
  }
  return { initialMs, maxMs };
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
