import { Counter, Gauge, type Registry } from "prom-client";

export interface OutboxMetrics {
  delivered(topic: string): void;
  failed(topic: string): void;
  deadLettered(topic: string): void;
}

export const noOutboxMetrics: OutboxMetrics = Object.freeze({
  delivered() {},
  failed() {},
  deadLettered() {},
});

/**
 * Registers the outbox_* metrics on `registry`. Counters already registered there (a relay restarted
 * in the same process) are reused so they keep counting; the backlog gauge is re-registered so it
 * reads through the newest relay's database on scrape.
 */
export function registerOutboxMetrics(
  registry: Registry,
  countPending: () => Promise<ReadonlyMap<string, number>>,
  onCollectError: (err: unknown) => void,
): OutboxMetrics {
  const delivered = counter(registry, "outbox_delivered_total", "Outbox messages delivered.");
  const failures = counter(
    registry,
    "outbox_delivery_failures_total",
    "Outbox delivery attempts that failed (each is retried later or dead-lettered).",
  );
  const dead = counter(
    registry,
    "outbox_dead_lettered_total",
    "Outbox messages given up on after maxAttempts (kept with status 'dead').",
  );
  const seenTopics = new Set<string>();
  registry.removeSingleMetric("outbox_backlog");
  new Gauge({
    name: "outbox_backlog",
    help: "Outbox messages pending delivery, counted when scraped.",
    labelNames: ["topic"],
    registers: [registry],
    async collect() {
      try {
        const pending = await countPending();
        // Topics that drained report 0 rather than disappearing.
        for (const topic of pending.keys()) seenTopics.add(topic);
        this.reset();
        for (const topic of seenTopics) this.set({ topic }, pending.get(topic) ?? 0);
      } catch (err) {
        // A scrape must not fail because the database is down; the gauge keeps its last values.
        onCollectError(err);
      }
    },
  });
  return {
    delivered: (topic) => delivered.inc({ topic }),
    failed: (topic) => failures.inc({ topic }),
    deadLettered: (topic) => dead.inc({ topic }),
  };
}

function counter(registry: Registry, name: string, help: string): Counter<"topic"> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<"topic">;
  return new Counter({ name, help, labelNames: ["topic"], registers: [registry] });
}
