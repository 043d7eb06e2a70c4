import { Counter, Gauge, type Registry } from "prom-client";

export interface PublisherMetrics {
  published(subject: string): void;
}

export interface ConsumerMetrics {
  consumed(subject: string): void;
  redelivered(subject: string): void;
  deadLettered(subject: string): void;
}

export const noPublisherMetrics: PublisherMetrics = Object.freeze({ published() {} });
export const noConsumerMetrics: ConsumerMetrics = Object.freeze({
  consumed() {},
  redelivered() {},
  deadLettered() {},
});

/** orderly_events_published_total{subject}: events the relay handed to the broker (PubAck received). */
export function registerPublisherMetrics(registry: Registry): PublisherMetrics {
  const published = counter(registry, "orderly_events_published_total", "Events published to the broker.", [
    "subject",
  ]);
  return { published: (subject) => published.inc({ subject }) };
}

/** orderly_events_{consumed,redelivered,dead_lettered}_total{consumer,subject}. */
export function registerConsumerMetrics(registry: Registry, consumer: string): ConsumerMetrics {
  const labels = ["consumer", "subject"] as const;
  const consumed = counter(
    registry,
    "orderly_events_consumed_total",
    "Events handled and acknowledged (duplicates included: they are acknowledged without a second effect).",
    labels,
  );
  const redelivered = counter(
    registry,
    "orderly_events_redelivered_total",
    "Deliveries of an event after its first (a failed or unacknowledged attempt).",
    labels,
  );
  const dead = counter(
    registry,
    "orderly_events_dead_lettered_total",
    "Events given up on after the last attempt and published to orderly.dlq.<consumer>.",
    labels,
  );
  return {
    consumed: (subject) => consumed.inc({ consumer, subject }),
    redelivered: (subject) => redelivered.inc({ consumer, subject }),
    deadLettered: (subject) => dead.inc({ consumer, subject }),
  };
}

// Per registry and gauge name, who reads each label value: a gauge is registered once per registry.
const scrapedSources = new WeakMap<Registry, Map<string, Map<string, Source>>>();

/**
 * A gauge computed on scrape, one series per label set. Registering the same labels again (a consumer or relay restarted in one process) replaces its source; the returned
 * function removes it (its series stays at the last value).
 */
export function registerScrapedGauge(
  registry: Registry,
  spec: { name: string; help: string; labelNames: readonly string[] },
  labels: Readonly<Record<string, string>>,
  read: () => Promise<number | undefined>,
  onError: (err: unknown) => void,
): () => void {
  let byName = scrapedSources.get(registry);
  if (byName === undefined) {
    byName = new Map();
    scrapedSources.set(registry, byName);
  }
  let sources = byName.get(spec.name);
  if (sources === undefined || !(registry.getSingleMetric(spec.name) instanceof Gauge)) {
    const current = new Map<string, Source>();
    sources = current;
    byName.set(spec.name, current);
    registry.removeSingleMetric(spec.name);
    new Gauge({
      name: spec.name,
      help: spec.help,
      labelNames: [...spec.labelNames],
      registers: [registry],
      async collect() {
        // A scrape must not fail because the broker or the database is down: keep the last value.
        await Promise.all(
          [...current.values()].map(async (source) => {
            try {
              const reading = await source.read();
              if (reading !== undefined) this.set({ ...source.labels }, reading);
            } catch (err) {
              source.onError(err);
            }
          }),
        );
      },
    });
  }
  const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
  const source = { labels, read, onError };
  const owner = sources;
  owner.set(key, source);
  return () => {
    if (owner.get(key) === source) owner.delete(key);
  };
}

interface Source {
  labels: Readonly<Record<string, string>>;
  read(): Promise<number | undefined>;
  onError(err: unknown): void;
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter({ name, help, labelNames: [...labelNames], registers: [registry] });
}
