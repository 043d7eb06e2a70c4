import http from "node:http";
import type { Health, Lifecycle } from "../health/index.ts";
import { type ConsulResponse, consulRequest, goDuration } from "./consul-http.ts";
import type { RegistryLogger } from "./registry-logger.ts";

export interface ConsulRegistrationOptions {
  /** Consul's HTTP API, "http://host:port" (config.consul.address). */
  consulUrl: string;
  token?: string;
  service: {
    /** Unique per process (config.instanceId). */
    id: string;
    name: string;
    /** Where peers reach this instance (config.advertiseAddress). */
    address: string;
    grpcPort: number;
    httpPort: number;
    version: string;
    tags?: string[];
  };
  /** SERVING => the TTL check passes; STARTING, DRAINING, STOPPED => critical. */
  lifecycle: Lifecycle;
  /** When given, the check passes only while `health.readyNow()`. */
  health?: Health;
  /** TTL of the check; default 10. Heartbeats go every ttl/3. */
  ttlSeconds?: number;
  /** Consul removes the instance after its check stayed critical this long; default "1m". */
  deregisterCriticalAfter?: string;
  /** Bound on each call to Consul, deregistration included; default 5000 ms. */
  requestTimeoutMs?: number;
  log: RegistryLogger;
}

type CheckStatus = "passing" | "critical";

/**
 * This instance in Consul: registers it with a TTL check that follows the lifecycle (and readiness),
 * heartbeats it, and registers again whenever Consul has forgotten it (an agent restarted without its
 * data). Never throws for Consul being down: it logs and keeps trying on every heartbeat.
 */
export class ConsulRegistration {
  readonly #o: ConsulRegistrationOptions;
  readonly #checkId: string;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #agent = new http.Agent({ keepAlive: true });
  readonly #inFlight = new AbortController();
  readonly #unsubscribe: (() => void)[] = [];
  #queue: Promise<void> = Promise.resolve();
  #waiting: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #stopped = false;
  #registered = false;
  #criticalNote: string | undefined;
  #lastStatus: CheckStatus | undefined;
  #failing = false;

  constructor(options: ConsulRegistrationOptions) {
    const ttlSeconds = options.ttlSeconds ?? 10;
    if (!(ttlSeconds > 0)) throw new Error(`ConsulRegistration: ttlSeconds must be > 0, got ${ttlSeconds}`);
    this.#o = options;
    this.#ttlMs = ttlSeconds * 1000;
    this.#timeoutMs = options.requestTimeoutMs ?? 5000;
    this.#checkId = `service:${options.service.id}`;
  }

  /** The Consul check id of this instance's TTL check. */
  get checkId(): string {
    return this.#checkId;
  }

  /** Registers and starts heartbeats; resolves after the first attempt, whether Consul answered or not. */
  async start(): Promise<void> {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#unsubscribe.push(this.#o.lifecycle.onChange(() => void this.#sync()));
    if (this.#o.health) this.#unsubscribe.push(this.#o.health.onReadinessChange(() => void this.#sync()));
    this.#timer = setInterval(() => void this.#sync(), this.#ttlMs / 3);
    this.#timer.unref();
    await this.#sync();
  }

  /** Turns the check critical now and keeps it so (used on SIGTERM, before the listeners close). */
  async markCritical(note: string): Promise<void> {
    this.#criticalNote = note;
    if (this.#started) await this.#sync();
  }

  /** Stops heartbeats and deregisters, best effort, within the request timeout. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    // A heartbeat stuck on an unreachable Consul must not hold shutdown up.
    this.#inFlight.abort();
    await this.#queue;
    if (this.#started) {
      try {
        const answer = await this.#call(
          "PUT",
          `/v1/agent/service/deregister/${encodeURIComponent(this.#o.service.id)}`,
          {
            signal: AbortSignal.timeout(this.#timeoutMs),
          },
        );
        if (answer.status === 200 || answer.status === 404)
          this.#o.log.info(this.#fields(), "deregistered from consul");
        else throw consulError("deregister", answer);
      } catch (error) {
        this.#o.log.warn(
          { ...this.#fields(), err: error },
          "consul deregistration failed; Consul removes the instance once its check has been critical long enough",
        );
      }
    }
    this.#agent.destroy();
  }

  /**
   * Queues one sync so updates reach Consul in order (a late "passing" must never follow "critical").
   * A sync reads the state when it runs, so one waiting sync covers every trigger behind a slow one,
   * and a hung Consul cannot pile heartbeats up.
   */
  #sync(): Promise<void> {
    if (this.#waiting) return this.#waiting;
    const run = this.#queue.then(() => {
      this.#waiting = undefined;
      return this.#syncOnce();
    });
    this.#waiting = run;
    this.#queue = run;
    return run;
  }

  async #syncOnce(): Promise<void> {
    if (this.#stopped) return;
    try {
      if (!this.#registered) await this.#register();
      await this.#sendStatus();
      if (this.#failing) this.#o.log.info(this.#fields(), "consul reachable again");
      this.#failing = false;
    } catch (error) {
      if (this.#stopped) return;
      // Warn once per outage; every heartbeat retries.
      this.#o.log[this.#failing ? "debug" : "warn"](
        { ...this.#fields(), err: error },
        "consul registration update failed; retrying",
      );
      this.#failing = true;
    }
  }

  async #register(): Promise<void> {
    const { service } = this.#o;
    const desired = this.#desired();
    const answer = await this.#call("PUT", "/v1/agent/service/register", {
      body: {
        ID: service.id,
        Name: service.name,
        Address: service.address,
        Port: service.grpcPort,
        Tags: service.tags ?? [],
        Meta: {
          version: service.version,
          http_port: String(service.httpPort),
          grpc_port: String(service.grpcPort),
        },
        Check: {
          CheckID: this.#checkId,
          Name: `${service.name} lifecycle`,
          Notes: "Passing while the instance is SERVING and ready; heartbeat from the service.",
          TTL: goDuration(this.#ttlMs),
          DeregisterCriticalServiceAfter: this.#o.deregisterCriticalAfter ?? "1m",
          Status: desired.status,
        },
      },
    });
    if (answer.status !== 200) throw consulError("register", answer);
    this.#registered = true;
    this.#o.log.info(
      { ...this.#fields(), name: service.name, grpcPort: service.grpcPort },
      "registered in consul",
    );
  }

  async #sendStatus(): Promise<void> {
    let answer = await this.#update();
    if (forgotten(answer)) {
      // The agent lost its catalogue (restarted without data): register again, then report.
      this.#o.log.warn(this.#fields(), "consul no longer knows this instance; registering again");
      this.#registered = false;
      await this.#register();
      answer = await this.#update();
    }
    if (answer.status !== 200) throw consulError("check update", answer);
  }

  async #update(): Promise<ConsulResponse> {
    const { status, output } = this.#desired();
    const answer = await this.#call("PUT", `/v1/agent/check/update/${encodeURIComponent(this.#checkId)}`, {
      body: { Status: status, Output: output },
    });
    if (answer.status === 200 && status !== this.#lastStatus) {
      this.#lastStatus = status;
      this.#o.log.info({ ...this.#fields(), status, output }, `consul check ${status}`);
    }
    return answer;
  }

  #desired(): { status: CheckStatus; output: string } {
    if (this.#criticalNote !== undefined) return { status: "critical", output: this.#criticalNote };
    const state = this.#o.lifecycle.state;
    if (state !== "SERVING") return { status: "critical", output: `lifecycle ${state}` };
    if (this.#o.health && !this.#o.health.readyNow()) {
      return { status: "critical", output: "not ready: a required dependency check fails" };
    }
    return { status: "passing", output: "SERVING" };
  }

  #call(
    method: "PUT",
    path: string,
    extra: { body?: unknown; signal?: AbortSignal },
  ): Promise<ConsulResponse> {
    return consulRequest({
      baseUrl: this.#o.consulUrl,
      path,
      method,
      body: extra.body,
      token: this.#o.token,
      agent: this.#agent,
      signal: extra.signal ?? AbortSignal.any([this.#inFlight.signal, AbortSignal.timeout(this.#timeoutMs)]),
    });
  }

  #fields(): Record<string, unknown> {
    return { consul: this.#o.consulUrl, serviceId: this.#o.service.id };
  }
}

/** Consul's answers when it does not know the check: 404 (current) or 500 "does not have associated TTL" (older). */
function forgotten(answer: ConsulResponse): boolean {
  return (
    answer.status === 404 || (answer.status === 500 && answer.text.includes("does not have associated TTL"))
  );
}

function consulError(what: string, answer: ConsulResponse): Error {
  return new Error(`consul ${what} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
}
