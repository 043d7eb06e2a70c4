import type { CheckOptions } from "consul/lib/agent/check.js";
import type { Health, Lifecycle } from "../health/index.ts";
import {
  type CallControl,
  CancelScope,
  type ConsulClient,
  consulMessageOf,
  consulStatusOf,
  createConsulClient,
} from "./consul-client.ts";
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
 * The HTTP calls are the `consul` package's (agent service register/deregister, check pass/fail);
 * what is ours is the lifecycle on top: ordering, re-registration, outage logging, bounded stop.
 */
export class ConsulRegistration {
  readonly #o: ConsulRegistrationOptions;
  readonly #checkId: string;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #consul: ConsulClient;
  readonly #inFlight = new CancelScope();
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
    this.#consul = createConsulClient({ url: options.consulUrl, token: options.token });
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
    this.#inFlight.cancel();
    await this.#queue;
    if (this.#started) {
      try {
        try {
          // A fresh deadline: stop() already cancelled the in-flight scope.
          await this.#consul.agent.service.deregister({
            id: this.#o.service.id,
            ...{ timeout: this.#timeoutMs },
          });
        } catch (error) {
          // Already gone (the agent forgot it): what deregistering wanted.
          if (consulStatusOf(error) !== 404) throw consulError("deregister", error);
        }
        this.#o.log.info(this.#fields(), "deregistered from consul");
      } catch (error) {
        this.#o.log.warn(
          { ...this.#fields(), err: error },
          "consul deregistration failed; Consul removes the instance once its check has been critical long enough",
        );
      }
    }
    this.#consul.destroy();
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
    try {
      await this.#consul.agent.service.register({
        id: service.id,
        name: service.name,
        address: service.address,
        port: service.grpcPort,
        tags: service.tags ?? [],
        meta: {
          version: service.version,
          http_port: String(service.httpPort),
          grpc_port: String(service.grpcPort),
        },
        // The package's type wants `timeout` on every check; a TTL check has none.
        check: {
          checkid: this.#checkId,
          name: `${service.name} lifecycle`,
          notes: "Passing while the instance is SERVING and ready; heartbeat from the service.",
          ttl: goDuration(this.#ttlMs),
          deregistercriticalserviceafter: this.#o.deregisterCriticalAfter ?? "1m",
          status: desired.status,
        } as CheckOptions,
        ...this.#control(),
      });
    } catch (error) {
      throw consulError("register", error);
    }
    this.#registered = true;
    this.#o.log.info(
      { ...this.#fields(), name: service.name, grpcPort: service.grpcPort },
      "registered in consul",
    );
  }

  async #sendStatus(): Promise<void> {
    try {
      await this.#update();
    } catch (error) {
      if (!forgotten(error)) throw consulError("check update", error);
      // The agent lost its catalogue (restarted without data): register again, then report.
      this.#o.log.warn(this.#fields(), "consul no longer knows this instance; registering again");
      this.#registered = false;
      await this.#register();
      try {
        await this.#update();
      } catch (again) {
        throw consulError("check update", again);
      }
    }
  }

  /** TTL check pass or fail, with the reason as the check's output (`note`). */
  async #update(): Promise<void> {
    const { status, output } = this.#desired();
    const check = this.#consul.agent.check;
    const call = { id: this.#checkId, note: output, ...this.#control() };
    await (status === "passing" ? check.pass(call) : check.fail(call));
    if (status !== this.#lastStatus) {
      this.#lastStatus = status;
      this.#o.log.info({ ...this.#fields(), status, output }, `consul check ${status}`);
    }
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

  /** Each call is bounded by the request timeout and cancelled by stop(). */
  #control(): CallControl {
    return { timeout: this.#timeoutMs, ctx: this.#inFlight.ctx };
  }

  #fields(): Record<string, unknown> {
    return { consul: this.#o.consulUrl, serviceId: this.#o.service.id };
  }
}

/** Consul's answers when it does not know the check: 404 (current) or 500 "does not have associated TTL" (older). */
function forgotten(error: unknown): boolean {
  const status = consulStatusOf(error);
  return (
    status === 404 || (status === 500 && consulMessageOf(error).includes("does not have associated TTL"))
  );
}

function consulError(what: string, error: unknown): Error {
  const status = consulStatusOf(error);
  const answered = status === undefined ? "failed" : `answered ${status}`;
  return new Error(`consul ${what} ${answered}: ${consulMessageOf(error).slice(0, 300)}`, { cause: error });
}

/** Consul durations are Go durations: whole seconds read best ("10s"), else milliseconds ("250ms"). */
function goDuration(ms: number): string {
  return Number.isInteger(ms / 1000) ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
