import http from "node:http";
import { consulRequest } from "./consul-http.ts";
import type { RegistryLogger } from "./registry-logger.ts";

export interface ServiceInstance {
  host: string;
  port: number;
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
 * Follows `/v1/health/service/<name>?passing=true` with blocking queries (index + wait), as Consul's
 * docs describe: reset the index when it goes backwards or after an error, never block on index 0,
 * back off on errors. Keeps the last known set while Consul is unreachable or lists nobody, so a
 * Consul outage or restart never takes the callers' peers away.
 */
export class ConsulHealthWatch {
  readonly #o: ConsulHealthWatchOptions;
  readonly #waitSeconds: number;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #abort = new AbortController();
  readonly #agent = new http.Agent({ keepAlive: true });
  #known: ServiceInstance[] | undefined;
  #outage = false;
  #keptOnEmpty = false;
  #running: Promise<void> | undefined;

  constructor(options: ConsulHealthWatchOptions) {
    this.#o = options;
    this.#waitSeconds = Math.min(Math.max(options.waitSeconds ?? 60, 1), 270);
    this.#retryMs = Math.max(options.retryMs ?? 1000, 1);
    this.#maxRetryMs = Math.max(options.maxRetryMs ?? 30_000, this.#retryMs);
    this.#known = options.known?.length ? options.known : undefined;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Ends the loop: aborts the pending query and any retry timer. */
  stop(): void {
    this.#abort.abort();
    this.#agent.destroy();
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let index = 0;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const previous = index;
        const answer = await this.#query(index, signal);
        index = nextIndex(previous, answer.index);
        failures = 0;
        if (this.#outage) this.#o.log?.info(this.#fields(), "consul reachable again");
        this.#outage = false;
        this.#apply(answer.instances);
        // Consul may answer at once without a change (its index is shared); don't spin on that.
        if (previous !== 0 && answer.index === previous && answer.fast) await sleep(this.#retryMs, signal);
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        // After a restart Consul's index starts over; an old index would block a whole `wait` for nothing.
        index = 0;
        this.#failed(error);
        await sleep(backoff(this.#retryMs, this.#maxRetryMs, failures), signal);
      }
    }
  }

  async #query(
    index: number,
    signal: AbortSignal,
  ): Promise<{ instances: ServiceInstance[]; index: number | undefined; fast: boolean }> {
    const params = new URLSearchParams({ passing: "true" });
    if (index > 0) {
      params.set("index", String(index));
      params.set("wait", `${this.#waitSeconds}s`);
    }
    // Consul adds up to wait/16 of jitter; past that (plus slack) the connection is presumed dead.
    const limitMs = index > 0 ? (this.#waitSeconds * 1000 * 17) / 16 + 5000 : 10_000;
    const started = performance.now();
    const answer = await consulRequest({
      baseUrl: this.#o.consulUrl,
      path: `/v1/health/service/${encodeURIComponent(this.#o.service)}?${params}`,
      method: "GET",
      token: this.#o.token,
      agent: this.#agent,
      unref: true,
      signal: AbortSignal.any([signal, AbortSignal.timeout(limitMs)]),
    });
    if (answer.status !== 200)
      throw new Error(`consul answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    return {
      instances: parseInstances(answer.text),
      index: answer.index,
      fast: performance.now() - started < this.#retryMs / 10,
    };
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

  #failed(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
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

/** Consul's rules: a missing or backwards index resets to 0 (answer at once next time); never keep 0 after an answer. */
function nextIndex(previous: number, answered: number | undefined): number {
  if (answered === undefined || !Number.isFinite(answered)) return 0;
  if (answered < previous) return 0;
  return Math.max(answered, 1);
}

function parseInstances(text: string): ServiceInstance[] {
  const entries = JSON.parse(text) as unknown;
  if (!Array.isArray(entries)) throw new Error("consul health answer is not a list");
  const seen = new Map<string, ServiceInstance>();
  for (const entry of entries as {
    Node?: { Address?: string };
    Service?: { Address?: string; Port?: number };
  }[]) {
    // An instance registered without an address is reached at its node's address.
    const host = entry.Service?.Address || entry.Node?.Address;
    const port = entry.Service?.Port;
    if (!host || typeof port !== "number" || port <= 0) continue;
    seen.set(`${host}:${port}`, { host, port });
  }
  return [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, instance]) => instance);
}

function sameInstances(a: readonly ServiceInstance[], b: readonly ServiceInstance[]): boolean {
  return a.length === b.length && a.every((x, i) => x.host === b[i]?.host && x.port === b[i]?.port);
}

/** Exponential backoff with equal jitter: between half and all of min(max, base * 2^(n-1)). */
function backoff(baseMs: number, maxMs: number, failures: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener("abort", done, { once: true });
  });
}
