import { type ConsulClient, consulMessageOf, consulStatusOf, createConsulClient } from "./consul-client.ts";
import type { RegistryLogger } from "./registry-logger.ts";

export interface ServiceInstance {
  host: string;
  port: number;
  /** Service meta `version` as the instance registered it (ConsulRegistration); undefined if absent. */
  version?: string | undefined;
}

export interface ConsulHealthWatchOptions {
  consulUrl: string;
  service: string;
  token?: string | undefined;
  /** Blocking-query wait; default 60, at most 270 (Node's HTTP client gives up on headers at 300 s). */
  waitSeconds?: number | undefined;
  /** First retry delay after a failure; doubles up to maxRetryMs, with jitter. Default 1000. */
  retryMs?: number | undefined;
  /** Default 30 000. */
  maxRetryMs?: number | undefined;
  log?: RegistryLogger | undefined;
  /** A set known from an earlier watch of the same service (kept until Consul says otherwise). */
  known?: ServiceInstance[] | undefined;
  /** The passing instances, sorted, whenever the set changes. Never empty once a set was known. */
  onInstances(instances: ServiceInstance[]): void;
  /** Consul cannot be asked, or lists no passing instance, and no set is known yet. */
  onUnavailable(reason: string): void;
}

/**
 * Follows `/v1/health/service/<name>?passing=true` with the `consul` package's blocking watch
 * (index + wait, index reset when it goes backwards). On top, ours: after an error the watch is
 * replaced by a fresh one (index 0: after a restart Consul's index starts over, and an old index
 * would block a whole `wait` for nothing) after a jittered backoff; and the last known set is kept
 * while Consul is unreachable or lists nobody, so a Consul outage never takes the callers' peers away.
 */
export class ConsulHealthWatch {
  readonly #o: ConsulHealthWatchOptions;
  readonly #waitSeconds: number;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #consul: ConsulClient;
  #watch: ReturnType<ConsulClient["watch"]> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #known: ServiceInstance[] | undefined;
  #outage = false;
  #keptOnEmpty = false;
  #failures = 0;
  #started = false;
  #stopped = false;

  constructor(options: ConsulHealthWatchOptions) {
    this.#o = options;
    this.#waitSeconds = Math.min(Math.max(options.waitSeconds ?? 60, 1), 270);
    this.#retryMs = Math.max(options.retryMs ?? 1000, 1);
    this.#maxRetryMs = Math.max(options.maxRetryMs ?? 30_000, this.#retryMs);
    this.#known = options.known?.length ? options.known : undefined;
    // Unref'd sockets: a watch waiting on Consul must not keep the process alive.
    this.#consul = createConsulClient({ url: options.consulUrl, token: options.token, unref: true });
  }

  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#watchFromScratch();
  }

  /** Ends the watch: aborts the pending query and any retry timer. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#watch?.end();
    this.#watch = undefined;
    this.#consul.destroy();
  }

  #watchFromScratch(): void {
    if (this.#stopped) return;
    const consul = this.#consul;
    const watch = consul.watch({
      method: consul.health.service,
      options: { service: this.#o.service, passing: "true", wait: `${this.#waitSeconds}s` },
      // One attempt per watch: on error we start over from index 0 with our own backoff.
      maxAttempts: 0,
    });
    this.#watch = watch;
    watch.on("change", (entries: unknown) => {
      if (this.#watch !== watch) return;
      this.#failures = 0;
      if (this.#outage) this.#o.log?.info(this.#fields(), "consul reachable again");
      this.#outage = false;
      try {
        this.#apply(parseInstances(entries));
      } catch (error) {
        this.#failed(watch, error);
      }
    });
    watch.on("error", (error: unknown) => this.#failed(watch, error));
  }

  #failed(watch: ReturnType<ConsulClient["watch"]>, error: unknown): void {
    if (this.#watch !== watch || this.#stopped) return;
    watch.end();
    this.#watch = undefined;
    this.#failures += 1;
    this.#reportFailure(error);
    this.#retryTimer = setTimeout(
      () => this.#watchFromScratch(),
      backoff(this.#retryMs, this.#maxRetryMs, this.#failures),
    );
    this.#retryTimer.unref();
  }

  #apply(instances: ServiceInstance[]): void {
    if (instances.length === 0) {
      if (this.#known) {
        if (!this.#keptOnEmpty) {
          this.#o.log?.warn(
            { ...this.#fields(), kept: this.#known.length },
            "consul lists no passing instance; keeping the last known ones",
          );
        }
        this.#keptOnEmpty = true;
        return;
      }
      this.#o.onUnavailable(`consul lists no passing instance of "${this.#o.service}"`);
      return;
    }
    this.#keptOnEmpty = false;
    if (this.#known && sameInstances(this.#known, instances)) return;
    this.#o.log?.info(
      { ...this.#fields(), instances: instances.map((i) => `${i.host}:${i.port}`) },
      "consul instances changed",
    );
    this.#known = instances;
    this.#o.onInstances(instances);
  }

  #reportFailure(error: unknown): void {
    const status = consulStatusOf(error);
    const reason =
      status === undefined
        ? consulMessageOf(error)
        : `consul answered ${status}: ${consulMessageOf(error).slice(0, 300)}`;
    if (!this.#outage) {
      this.#o.log?.warn(
        { ...this.#fields(), err: error, kept: this.#known?.length ?? 0 },
        this.#known ? "consul unreachable; keeping the last known instances" : "consul unreachable",
      );
    }
    this.#outage = true;
    if (!this.#known) this.#o.onUnavailable(`consul unreachable for "${this.#o.service}": ${reason}`);
  }

  #fields(): Record<string, unknown> {
    return { consul: this.#o.consulUrl, service: this.#o.service };
  }
}

function parseInstances(entries: unknown): ServiceInstance[] {
  if (!Array.isArray(entries)) throw new Error("consul health answer is not a list");
  const seen = new Map<string, ServiceInstance>();
  for (const entry of entries as {
    Node?: { Address?: string };
    Service?: { Address?: string; Port?: number; Meta?: Record<string, string> | null };
  }[]) {
    // An instance registered without an address is reached at its node's address.
    const host = entry.Service?.Address || entry.Node?.Address;
    const port = entry.Service?.Port;
    if (!host || typeof port !== "number" || port <= 0) continue;
    const version = entry.Service?.Meta?.version;
    seen.set(`${host}:${port}`, { host, port, ...(version ? { version } : {}) });
  }
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, instance]) => instance);
}

function sameInstances(a: readonly ServiceInstance[], b: readonly ServiceInstance[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => x.host === b[i]?.host && x.port === b[i]?.port && x.version === b[i]?.version)
  );
}

/** Exponential backoff with equal jitter: between half and all of min(max, base * 2^(n-1)). */
function backoff(baseMs: number, maxMs: number, failures: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
