import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// The kit cannot depend on @orderly/testkit by name (testkit depends on the kit), so the test reaches it by path.
import { type ConsulTestAgent, startConsulTestAgent } from "../../../testkit/src/consul-agent/index.ts";
import { Health, Lifecycle } from "../health/index.ts";
import { ConsulRegistration, type ConsulRegistrationOptions } from "./consul-registration.ts";
import { recordingLogger } from "./registry.test-support.ts";

let agent: ConsulTestAgent;
const registrations: ConsulRegistration[] = [];

beforeEach(async () => {
  agent = await startConsulTestAgent();
});

afterEach(async () => {
  await Promise.all(registrations.splice(0).map((r) => r.stop()));
  await agent.stop();
});

function registration(overrides: Partial<ConsulRegistrationOptions> & { lifecycle: Lifecycle }): {
  registration: ConsulRegistration;
  logs: ReturnType<typeof recordingLogger>;
} {
  const logs = recordingLogger();
  const r = new ConsulRegistration({
    consulUrl: agent.url,
    service: {
      id: "inventory-1",
      name: "inventory",
      address: "10.1.2.3",
      grpcPort: 50052,
      httpPort: 8081,
      version: "1.4.0",
    },
    ttlSeconds: 10,
    requestTimeoutMs: 1000,
    log: logs.log,
    ...overrides,
  });
  registrations.push(r);
  return { registration: r, logs };
}

function serving(): Lifecycle {
  const lifecycle = new Lifecycle();
  lifecycle.moveTo("SERVING");
  return lifecycle;
}

const checkEvent =
  (status: string, since = 0) =>
  (e: { type: string; status?: string; seq: number }) =>
    e.type === "check" && e.status === status && e.seq > since;

describe("ConsulRegistration", () => {
  it("when started while serving, then the instance registers with its gRPC port, metadata and a passing TTL check", async () => {
    const { registration: r } = registration({
      lifecycle: serving(),
      service: {
        id: "inventory-1",
        name: "inventory",
        address: "10.1.2.3",
        grpcPort: 50052,
        httpPort: 8081,
        version: "1.4.0",
        tags: ["grpc"],
      },
    });
    await r.start();

    expect(agent.services()).toEqual([
      {
        id: "inventory-1",
        name: "inventory",
        address: "10.1.2.3",
        port: 50052,
        tags: ["grpc"],
        meta: { version: "1.4.0", http_port: "8081", grpc_port: "50052" },
      },
    ]);
    expect(agent.checks()).toMatchObject([
      {
        checkId: "service:inventory-1",
        type: "ttl",
        status: "passing",
        ttlMs: 10_000,
        deregisterCriticalServiceAfterMs: 60_000,
      },
    ]);
  });

  it("when serving, then heartbeats keep the TTL check passing", async () => {
    const { registration: r } = registration({ lifecycle: serving(), ttlSeconds: 0.9 });
    await r.start();
    const registered = agent.events.length;
    // Two more heartbeats after the first update: the check is being refreshed, not left to expire.
    const first = await agent.waitForEvent(checkEvent("passing", registered));
    await agent.waitForEvent(checkEvent("passing", first.seq));

    expect(agent.checks()[0]?.status).toBe("passing");
    expect(agent.events.filter((e) => e.type === "check" && e.source === "ttl-expired")).toEqual([]);
  });

  it("when the instance is still starting, then its check is critical until the lifecycle reaches SERVING", async () => {
    const lifecycle = new Lifecycle();
    const { registration: r } = registration({ lifecycle });
    await r.start();
    expect(agent.checks()[0]).toMatchObject({ status: "critical", output: "lifecycle STARTING" });

    lifecycle.moveTo("SERVING");
    await agent.waitForEvent(checkEvent("passing"));
    expect(agent.checks()[0]).toMatchObject({ status: "passing", output: "SERVING" });
  });

  it("when the lifecycle moves to DRAINING, then the check turns critical without waiting for a heartbeat", async () => {
    const lifecycle = serving();
    const { registration: r } = registration({ lifecycle, ttlSeconds: 60 });
    await r.start();

    lifecycle.moveTo("DRAINING");
    const critical = await agent.waitForEvent(checkEvent("critical"));
    expect(critical).toMatchObject({ previous: "passing", output: "lifecycle DRAINING" });
  });

  it("when a required dependency fails, then the check is critical until it recovers", async () => {
    let databaseUp = true;
    const lifecycle = new Lifecycle();
    const health = new Health({
      lifecycle,
      service: "inventory",
      version: "1.4.0",
      instance: "inventory-1",
      checks: [
        {
          name: "db",
          check: async () => {
            if (!databaseUp) throw new Error("db down");
          },
        },
      ],
    });
    lifecycle.moveTo("SERVING");
    const { registration: r } = registration({ lifecycle, health, ttlSeconds: 60 });
    await r.start();
    expect(agent.checks()[0]?.status).toBe("passing");

    databaseUp = false;
    await health.report();
    const critical = await agent.waitForEvent(checkEvent("critical"));
    expect(critical).toMatchObject({ output: "not ready: a required dependency check fails" });

    databaseUp = true;
    await health.report();
    await agent.waitForEvent(checkEvent("passing", critical.seq));
  });

  it("when marked critical, then the check is critical at once and stays so on later heartbeats", async () => {
    const { registration: r } = registration({ lifecycle: serving(), ttlSeconds: 0.6 });
    await r.start();

    await r.markCritical("draining: SIGTERM");
    expect(agent.checks()[0]).toMatchObject({ status: "critical", output: "draining: SIGTERM" });
    const next = await agent.waitForEvent((e) => e.type === "check" && e.source === "api", {
      since: agent.events.length,
    });
    expect(next).toMatchObject({ status: "critical", output: "draining: SIGTERM" });
  });

  it("when stopped, then the instance is deregistered", async () => {
    const { registration: r } = registration({ lifecycle: serving() });
    await r.start();
    await r.stop();

    expect(agent.events.at(-1)).toMatchObject({
      type: "deregister",
      serviceId: "inventory-1",
      reason: "api",
    });
    expect(agent.services()).toEqual([]);
  });

  it("when the agent restarts with an empty catalogue, then the instance registers again on its next heartbeat", async () => {
    const { registration: r, logs } = registration({ lifecycle: serving(), ttlSeconds: 0.6 });
    await r.start();

    await agent.restart();
    const restarted = agent.events.length;
    await agent.waitForEvent((e) => e.type === "register" && e.serviceId === "inventory-1", {
      since: restarted,
    });
    await agent.waitForEvent(checkEvent("passing", restarted));
    expect(agent.services().map((s) => s.id)).toEqual(["inventory-1"]);
    expect(agent.checks()[0]?.status).toBe("passing");
    expect(logs.lines.map((l) => l.msg)).toContain("consul no longer knows this instance; registering again");
  });

  it("when Consul is down at start, then start resolves, logs a warning, and registration follows once Consul is up", async () => {
    await agent.stop();
    const { registration: r, logs } = registration({ lifecycle: serving(), ttlSeconds: 0.6 });
    await expect(r.start()).resolves.toBeUndefined();
    expect(logs.lines.find((l) => l.level === "warn")?.msg).toBe(
      "consul registration update failed; retrying",
    );

    await agent.restart();
    await agent.waitForEvent((e) => e.type === "register" && e.serviceId === "inventory-1");
    await logs.waitFor(/^consul reachable again$/);
  });

  it("when Consul is down at stop, then stop resolves and logs that deregistration failed", async () => {
    const { registration: r, logs } = registration({ lifecycle: serving() });
    await r.start();
    await agent.stop();

    await expect(r.stop()).resolves.toBeUndefined();
    expect(logs.lines.at(-1)?.msg).toMatch(/^consul deregistration failed/);
  });

  it("when Consul accepts connections but never answers, then start and stop still return within the request timeout", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const { registration: r, logs } = registration({
        lifecycle: serving(),
        consulUrl: `http://127.0.0.1:${port}`,
        ttlSeconds: 0.3,
        requestTimeoutMs: 100,
      });
      await expect(r.start()).resolves.toBeUndefined();
      expect(logs.lines.find((l) => l.level === "warn")?.msg).toBe(
        "consul registration update failed; retrying",
      );
      await expect(r.stop()).resolves.toBeUndefined();
      expect(logs.lines.at(-1)?.msg).toMatch(/^consul deregistration failed/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("when Consul requires an ACL token, then the registration sends it", async () => {
    await agent.stop();
    agent = await startConsulTestAgent({ aclToken: "s3cret" });
    const { registration: r } = registration({ lifecycle: serving(), token: "s3cret" });
    await r.start();
    expect(agent.checks()[0]?.status).toBe("passing");
  });

  it("when given a pino logger, then it accepts it", async () => {
    const { registration: r } = registration({ lifecycle: serving(), log: pino({ level: "silent" }) });
    await r.start();
    expect(agent.services()).toHaveLength(1);
  });
});
