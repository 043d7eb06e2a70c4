import type { CheckStatus, ConsulAgentEvent } from "./consul-agent.types.ts";
import { ConsulApiError } from "./consul-api-error.ts";
import type { CheckDefinition, ServiceDefinition } from "./parse-registration.ts";

export interface ServiceRecord extends Omit<ServiceDefinition, "checks"> {
  createIndex: number;
  modifyIndex: number;
}

export interface CheckRecord {
  definition: CheckDefinition;
  serviceId: string;
  serviceName: string;
  serviceTags: string[];
  status: CheckStatus;
  output: string;
  createIndex: number;
  modifyIndex: number;
  ttlTimer: NodeJS.Timeout | undefined;
  reapTimer: NodeJS.Timeout | undefined;
}

/**
 * An event as the catalogue reports it, before the agent numbers it: Omit distributed over the
 * union (the built-in Omit would collapse it).
 */
export type NewConsulAgentEvent = ConsulAgentEvent extends infer E
  ? E extends ConsulAgentEvent
    ? Omit<E, "seq">
    : never
  : never;

export interface ConsulCatalogOptions {
  record(event: NewConsulAgentEvent): void;
  /** Called after every write with the service names whose index moved (wakes blocking queries). */
  changed(names: readonly string[]): void;
}

/**
 * The agent's state: services, their checks, TTL and reaper timers, and Consul's raft-like index.
 * Every write bumps the index; each service name remembers the index of its last change (kept after
 * deregistration, so a name's index never goes backwards while the agent runs).
 */
export class ConsulCatalog {
  readonly #options: ConsulCatalogOptions;
  readonly #services = new Map<string, ServiceRecord>();
  readonly #checks = new Map<string, CheckRecord>();
  readonly #nameIndex = new Map<string, number>();
  // A fresh Consul has made a few writes of its own (its node, serfHealth, the consul service).
  #index = 3;
  #servicesIndex = 3;
  #timersOn = true;
  /** When each critical check turned critical (performance.now()), for DeregisterCriticalServiceAfter. */
  readonly #criticalSince = new Map<string, number>();

  constructor(options: ConsulCatalogOptions) {
    this.#options = options;
  }

  get index(): number {
    return this.#index;
  }

  /** Index of the service list (moves on register and deregister only). */
  get servicesIndex(): number {
    return this.#servicesIndex;
  }

  /** Index of everything about one service name; for a name never seen, the current index. */
  indexOf(name: string): number {
    return this.#nameIndex.get(name) ?? this.#index;
  }

  services(): ServiceRecord[] {
    return [...this.#services.values()];
  }

  service(id: string): ServiceRecord | undefined {
    return this.#services.get(id);
  }

  checks(): CheckRecord[] {
    return [...this.#checks.values()];
  }

  checksOf(serviceId: string): CheckRecord[] {
    return this.checks().filter((c) => c.serviceId === serviceId);
  }

  register(definition: ServiceDefinition, replaceExistingChecks: boolean): void {
    const { checks, ...service } = definition;
    const previous = this.#services.get(service.id);
    const index = this.#index + 1;
    this.#services.set(service.id, {
      ...service,
      createIndex: previous?.createIndex ?? index,
      modifyIndex: index,
    });
    const keep = new Set(checks.map((c) => c.checkId));
    for (const old of this.checksOf(service.id)) {
      if (replaceExistingChecks && !keep.has(old.definition.checkId)) this.#dropCheck(old);
    }
    for (const definition of checks) {
      const existing = this.#checks.get(definition.checkId);
      if (existing) this.#clearTimers(existing);
      // Like Consul, re-registering keeps a known check's status and output (the agent snapshots them).
      const record: CheckRecord = {
        definition,
        serviceId: service.id,
        serviceName: service.name,
        serviceTags: service.tags,
        status: existing?.status ?? definition.status,
        output: existing?.output ?? "",
        createIndex: existing?.createIndex ?? index,
        modifyIndex: index,
        ttlTimer: undefined,
        reapTimer: undefined,
      };
      this.#checks.set(definition.checkId, record);
      if (!existing) this.#trackCritical(record);
      this.#armTimers(record);
    }
    this.#write([service.name, ...(previous && previous.name !== service.name ? [previous.name] : [])], true);
    this.#options.record({
      type: "register",
      serviceId: service.id,
      serviceName: service.name,
      address: service.address,
      port: service.port,
      checks: this.checksOf(service.id).map((c) => ({ checkId: c.definition.checkId, status: c.status })),
    });
  }

  deregister(serviceId: string, reason: "api" | "critical-timeout"): void {
    const service = this.#services.get(serviceId);
    if (!service) {
      throw new ConsulApiError(
        404,
        `Unknown service ID ${JSON.stringify(serviceId)}. Ensure that the service ID is passed, not the service name.`,
      );
    }
    for (const check of this.checksOf(serviceId)) this.#dropCheck(check);
    this.#services.delete(serviceId);
    this.#write([service.name], true);
    this.#options.record({ type: "deregister", serviceId, serviceName: service.name, reason });
  }

  /** A TTL update through the API (pass/warn/fail/update), with Consul's two error answers. */
  updateTtl(checkId: string, status: CheckStatus, output: string): void {
    const check = this.#checks.get(checkId);
    if (!check) {
      throw new ConsulApiError(
        404,
        `Unknown check ID ${JSON.stringify(checkId)}. Ensure that the check ID is passed, not the check name.`,
      );
    }
    if (check.definition.type !== "ttl") {
      throw new ConsulApiError(500, `CheckID ${JSON.stringify(checkId)} does not have associated TTL`);
    }
    this.#setStatus(check, status, output, "api");
  }

  /** Test control: every check of the service reports `status`. */
  setServiceStatus(serviceId: string, status: CheckStatus, output: string): void {
    if (!this.#services.has(serviceId)) throw new Error(`consul test agent: no service with id ${serviceId}`);
    for (const check of this.checksOf(serviceId)) this.#setStatus(check, status, output, "test");
  }

  /** Stops every timer (agent stopped); checks neither expire nor get reaped meanwhile. */
  pauseTimers(): void {
    this.#timersOn = false;
    for (const check of this.#checks.values()) this.#clearTimers(check);
  }

  /** Restarts TTL timers afresh and the reaper clock, as an agent restored from its data dir does. */
  resumeTimers(): void {
    this.#timersOn = true;
    const now = performance.now();
    for (const check of this.#checks.values()) {
      if (this.#criticalSince.has(check.definition.checkId))
        this.#criticalSince.set(check.definition.checkId, now);
      this.#armTimers(check);
    }
  }

  #setStatus(
    check: CheckRecord,
    status: CheckStatus,
    output: string,
    source: "api" | "ttl-expired" | "test",
  ): void {
    const previous = check.status;
    const changed = previous !== status || check.output !== output;
    check.status = status;
    check.output = output;
    this.#trackCritical(check);
    if (source !== "ttl-expired") this.#armTimers(check);
    else this.#armReaper(check);
    // Consul only writes to the catalogue when something changed, so a steady heartbeat leaves the index alone.
    if (changed) {
      check.modifyIndex = this.#index + 1;
      this.#write([check.serviceName], false);
    }
    this.#options.record({
      type: "check",
      checkId: check.definition.checkId,
      serviceId: check.serviceId,
      status,
      previous,
      output,
      source,
    });
  }

  #trackCritical(check: CheckRecord): void {
    const id = check.definition.checkId;
    if (check.status !== "critical") this.#criticalSince.delete(id);
    else if (!this.#criticalSince.has(id)) this.#criticalSince.set(id, performance.now());
  }

  #armTimers(check: CheckRecord): void {
    clearTimeout(check.ttlTimer);
    check.ttlTimer = undefined;
    const ttl = check.definition.ttlMs;
    if (this.#timersOn && ttl !== undefined) {
      check.ttlTimer = setTimeout(() => {
        check.ttlTimer = undefined;
        // Consul's wording, so output-matching clients see what they would in production.
        const output = check.output
          ? `TTL expired (last output before timeout follows): ${check.output}`
          : "TTL expired";
        this.#setStatus(check, "critical", output, "ttl-expired");
      }, ttl);
      check.ttlTimer.unref();
    }
    this.#armReaper(check);
  }

  #armReaper(check: CheckRecord): void {
    const after = check.definition.deregisterCriticalServiceAfterMs;
    const since = this.#criticalSince.get(check.definition.checkId);
    if (!this.#timersOn || after === undefined || since === undefined) {
      clearTimeout(check.reapTimer);
      check.reapTimer = undefined;
      return;
    }
    if (check.reapTimer) return;
    // Consul reaps on a 30 s sweep with a 1 minute floor; the test agent reaps on time so tests stay fast.
    check.reapTimer = setTimeout(
      () => {
        check.reapTimer = undefined;
        if (this.#services.has(check.serviceId)) this.deregister(check.serviceId, "critical-timeout");
      },
      Math.max(0, since + after - performance.now()),
    );
    check.reapTimer.unref();
  }

  #dropCheck(check: CheckRecord): void {
    this.#clearTimers(check);
    this.#criticalSince.delete(check.definition.checkId);
    this.#checks.delete(check.definition.checkId);
  }

  #clearTimers(check: CheckRecord): void {
    clearTimeout(check.ttlTimer);
    clearTimeout(check.reapTimer);
    check.ttlTimer = undefined;
    check.reapTimer = undefined;
  }

  #write(names: readonly string[], serviceListChanged: boolean): void {
    this.#index += 1;
    for (const name of names) this.#nameIndex.set(name, this.#index);
    if (serviceListChanged) this.#servicesIndex = this.#index;
    this.#options.changed(names);
  }
}
