// The agent's public types: @orderly/testkit/consul-agent exports every one of them.
/** Consul's three health states; `passing=true` queries keep only instances whose checks all pass. */
export type CheckStatus = "passing" | "warning" | "critical";

/** A registered service instance as the agent holds it (camelCase view of Consul's record). */
export interface AgentServiceView {
  id: string;
  name: string;
  address: string;
  port: number;
  tags: readonly string[];
  meta: Readonly<Record<string, string>>;
}

/** A check as the agent holds it. `type` is "ttl" for TTL checks; other kinds are stored, never run. */
export interface AgentCheckView {
  checkId: string;
  name: string;
  serviceId: string;
  serviceName: string;
  status: CheckStatus;
  output: string;
  notes: string;
  type: string;
  ttlMs: number | undefined;
  deregisterCriticalServiceAfterMs: number | undefined;
}

/**
 * What happened, in order, for assertions. `check` events are recorded for every status write
 * (API heartbeats included, even when the status stays the same), TTL expiries and test overrides;
 * compare `previous` with `status` to see transitions.
 */
export type ConsulAgentEvent =
  | {
      seq: number;
      type: "register";
      serviceId: string;
      serviceName: string;
      address: string;
      port: number;
      checks: readonly { checkId: string; status: CheckStatus }[];
    }
  | {
      seq: number;
      type: "deregister";
      serviceId: string;
      serviceName: string;
      reason: "api" | "critical-timeout";
    }
  | {
      seq: number;
      type: "check";
      checkId: string;
      serviceId: string;
      status: CheckStatus;
      previous: CheckStatus;
      output: string;
      source: "api" | "ttl-expired" | "test";
    }
  | { seq: number; type: "stop" }
  | { seq: number; type: "start"; keptCatalog: boolean };

export interface ConsulTestAgentOptions {
  /** Port to listen on (127.0.0.1); default 0, a free port. */
  port?: number;
  /** When set, every request must carry this ACL token (X-Consul-Token header or `token` query). */
  aclToken?: string;
}

export interface WaitForEventOptions {
  /** Only events with a larger `seq` count; default 0 (every event so far, then future ones). */
  since?: number;
  /** Default 5000 ms; rejects with a message listing the recent events. */
  timeoutMs?: number;
}

export interface ConsulTestAgent {
  /** "127.0.0.1:<port>", as CONSUL_HTTP_ADDR takes it. */
  readonly address: string;
  /** "http://127.0.0.1:<port>". */
  readonly url: string;
  readonly port: number;
  /** Every event so far (a copy). */
  readonly events: readonly ConsulAgentEvent[];
  /** Closes the listener and every open connection (blocked queries included); later connections are refused. */
  stop(): Promise<void>;
  /**
   * Stops and listens again on the same port. By default the catalogue is forgotten and the Consul
   * index starts over, like a dev agent restarted with no data dir; `keepCatalog` keeps services and
   * checks (TTL timers start afresh).
   */
  restart(options?: { keepCatalog?: boolean }): Promise<void>;
  services(): AgentServiceView[];
  checks(): AgentCheckView[];
  /** Sets every check of the service, as if its checks reported `status` (resets TTL timers). */
  setCheckStatus(serviceId: string, status: CheckStatus, output?: string): void;
  /** Resolves with the first event (already recorded or future) that matches. */
  waitForEvent(
    predicate: (event: ConsulAgentEvent) => boolean,
    options?: WaitForEventOptions,
  ): Promise<ConsulAgentEvent>;
}
