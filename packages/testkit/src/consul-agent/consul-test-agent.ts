import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ChangeNotifier } from "./change-notifier.ts";
import type {
  AgentCheckView,
  AgentServiceView,
  CheckStatus,
  ConsulAgentEvent,
  ConsulTestAgent,
  ConsulTestAgentOptions,
  WaitForEventOptions,
} from "./consul-agent.types.ts";
import { ConsulCatalog, type NewConsulAgentEvent } from "./consul-catalog.ts";
import { createConsulHandler } from "./consul-http-handler.ts";
import type { AgentNode } from "./consul-views.ts";

/**
 * Starts an in-process HTTP server that answers the part of Consul's HTTP API the kit uses, on
 * 127.0.0.1 (port 0 by default). Stop it in afterEach/afterAll.
 */
export async function startConsulTestAgent(options: ConsulTestAgentOptions = {}): Promise<ConsulTestAgent> {
  const agent = new InProcessConsulAgent(options);
  await agent.listen(options.port ?? 0);
  return agent;
}

class InProcessConsulAgent implements ConsulTestAgent {
  readonly #notifier = new ChangeNotifier();
  readonly #node: AgentNode = {
    id: randomUUID(),
    name: "orderly-consul-test",
    address: "127.0.0.1",
    datacenter: "dc1",
  };
  readonly #events: ConsulAgentEvent[] = [];
  readonly #eventListeners = new Set<(event: ConsulAgentEvent) => void>();
  readonly #aclToken: string | undefined;
  #catalog: ConsulCatalog;
  #server: Server | undefined;
  #port = 0;

  constructor(options: ConsulTestAgentOptions) {
    this.#aclToken = options.aclToken;
    this.#catalog = this.#newCatalog();
  }

  get port(): number {
    return this.#port;
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  get url(): string {
    return `http://${this.address}`;
  }

  get events(): readonly ConsulAgentEvent[] {
    return [...this.#events];
  }

  async listen(port: number): Promise<void> {
    const server = createServer(
      createConsulHandler({
        catalog: () => this.#catalog,
        notifier: this.#notifier,
        node: this.#node,
        aclToken: this.#aclToken,
      }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#catalog.pauseTimers();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Blocked queries and keep-alive sockets die with the agent, as they would with a real one.
    server.closeAllConnections();
    await closed;
    this.#record({ type: "stop" });
  }

  async restart(options: { keepCatalog?: boolean } = {}): Promise<void> {
    await this.stop();
    const keepCatalog = options.keepCatalog ?? false;
    if (!keepCatalog) this.#catalog = this.#newCatalog();
    await this.listen(this.#port);
    this.#catalog.resumeTimers();
    this.#record({ type: "start", keptCatalog: keepCatalog });
  }

  services(): AgentServiceView[] {
    return this.#catalog.services().map((s) => ({
      id: s.id,
      name: s.name,
      address: s.address,
      port: s.port,
      tags: [...s.tags],
      meta: { ...s.meta },
    }));
  }

  checks(): AgentCheckView[] {
    return this.#catalog.checks().map((c) => ({
      checkId: c.definition.checkId,
      name: c.definition.name,
      serviceId: c.serviceId,
      serviceName: c.serviceName,
      status: c.status,
      output: c.output,
      notes: c.definition.notes,
      type: c.definition.type,
      ttlMs: c.definition.ttlMs,
      deregisterCriticalServiceAfterMs: c.definition.deregisterCriticalServiceAfterMs,
    }));
  }

  setCheckStatus(serviceId: string, status: CheckStatus, output = `set by test: ${status}`): void {
    this.#catalog.setServiceStatus(serviceId, status, output);
  }

  waitForEvent(
    predicate: (event: ConsulAgentEvent) => boolean,
    options: WaitForEventOptions = {},
  ): Promise<ConsulAgentEvent> {
    const since = options.since ?? 0;
    const seen = this.#events.find((e) => e.seq > since && predicate(e));
    if (seen) return Promise.resolve(seen);
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const listener = (event: ConsulAgentEvent): void => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.#eventListeners.delete(listener);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.#eventListeners.delete(listener);
        const recent = this.#events.slice(-10).map((e) => JSON.stringify(e));
        reject(
          new Error(
            `consul test agent: no matching event within ${timeoutMs} ms; last events:\n${recent.join("\n")}`,
          ),
        );
      }, timeoutMs);
      this.#eventListeners.add(listener);
    });
  }

  #newCatalog(): ConsulCatalog {
    return new ConsulCatalog({
      record: (event) => this.#record(event),
      changed: (names) => this.#notifier.notify(names),
    });
  }

  #record(event: NewConsulAgentEvent): void {
    const recorded = { ...event, seq: this.#events.length + 1 } as ConsulAgentEvent;
    this.#events.push(recorded);
    for (const listener of [...this.#eventListeners]) listener(recorded);
  }
}
