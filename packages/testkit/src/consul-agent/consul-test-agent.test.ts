import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConsulTestAgent } from "./consul-agent.types.ts";
import { startConsulTestAgent } from "./consul-test-agent.ts";

let agent: ConsulTestAgent;

beforeEach(async () => {
  agent = await startConsulTestAgent();
});

afterEach(async () => {
  await agent.stop();
});

interface Answer {
  status: number;
  text: string;
  index: number | undefined;
  json(): unknown;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${agent.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const index = res.headers.get("x-consul-index");
  return {
    status: res.status,
    text,
    index: index === null ? undefined : Number(index),
    json: () => JSON.parse(text),
  };
}

function register(id: string, check: Record<string, unknown> = { TTL: "30s" }, port = 7000) {
  return call("PUT", "/v1/agent/service/register", {
    ID: id,
    Name: "inventory",
    Address: "10.0.0.5",
    Port: port,
    Tags: ["grpc"],
    Meta: { version: "1.2.3" },
    Check: check,
  });
}

describe("consul test agent: registration", () => {
  it("when a service registers with a TTL check, then the agent lists it and the check starts critical", async () => {
    expect((await register("inventory-1")).status).toBe(200);

    const services = (await call("GET", "/v1/agent/services")).json() as Record<
      string,
      Record<string, unknown>
    >;
    expect(services["inventory-1"]).toMatchObject({
      ID: "inventory-1",
      Service: "inventory",
      Address: "10.0.0.5",
      Port: 7000,
      Tags: ["grpc"],
      Meta: { version: "1.2.3" },
    });
    const checks = (await call("GET", "/v1/agent/checks")).json() as Record<string, Record<string, unknown>>;
    expect(checks["service:inventory-1"]).toMatchObject({
      CheckID: "service:inventory-1",
      Name: "Service 'inventory' check",
      Status: "critical",
      ServiceID: "inventory-1",
      ServiceName: "inventory",
      Type: "ttl",
    });
    expect(agent.events.at(-1)).toMatchObject({ type: "register", serviceId: "inventory-1" });
  });

  it("when the body is missing a name, then the agent answers 400 naming it", async () => {
    const answer = await call("PUT", "/v1/agent/service/register", { ID: "x" });
    expect(answer.status).toBe(400);
    expect(answer.text).toBe("Missing service name");
  });

  it("when field names are lower or snake case, then the agent reads them like Consul's decoder", async () => {
    await call("PUT", "/v1/agent/service/register", {
      id: "i-1",
      name: "invoice",
      port: 9,
      check: { ttl: "5s", deregister_critical_service_after: "1m", status: "passing" },
    });
    expect(agent.services()).toMatchObject([{ id: "i-1", name: "invoice", port: 9 }]);
    expect(agent.checks()).toMatchObject([{ checkId: "service:i-1", status: "passing", ttlMs: 5000 }]);
  });

  it("when a service has several checks, then they are numbered service:<id>:<n>", async () => {
    await call("PUT", "/v1/agent/service/register", {
      ID: "o-1",
      Name: "order",
      Checks: [{ TTL: "5s" }, { TTL: "5s", Status: "passing" }],
    });
    expect(agent.checks().map((c) => [c.checkId, c.status])).toEqual([
      ["service:o-1:1", "critical"],
      ["service:o-1:2", "passing"],
    ]);
  });

  it("when a service registers again, then its known check keeps its status", async () => {
    await register("inventory-1");
    await call("PUT", "/v1/agent/check/pass/service:inventory-1");
    await register("inventory-1");
    expect(agent.checks()[0]?.status).toBe("passing");
  });

  it("when a service deregisters, then it and its checks are gone; an unknown id answers 404", async () => {
    await register("inventory-1");
    expect((await call("PUT", "/v1/agent/service/deregister/inventory-1")).status).toBe(200);
    expect(agent.services()).toEqual([]);
    expect(agent.checks()).toEqual([]);
    expect(agent.events.at(-1)).toMatchObject({
      type: "deregister",
      serviceId: "inventory-1",
      reason: "api",
    });

    const again = await call("PUT", "/v1/agent/service/deregister/inventory-1");
    expect(again.status).toBe(404);
    expect(again.text).toContain('Unknown service ID "inventory-1"');
  });

  it("when a write uses GET, then the agent answers 405", async () => {
    expect((await call("GET", "/v1/agent/service/register")).status).toBe(405);
  });
});

describe("consul test agent: TTL checks", () => {
  it("when the check is passed, warned and failed, then its status and output follow", async () => {
    await register("inventory-1");
    await call("PUT", "/v1/agent/check/pass/service:inventory-1?note=all%20good");
    expect(agent.checks()[0]).toMatchObject({ status: "passing", output: "all good" });
    await call("PUT", "/v1/agent/check/warn/service:inventory-1");
    expect(agent.checks()[0]?.status).toBe("warning");
    await call("PUT", "/v1/agent/check/fail/service:inventory-1?note=down");
    expect(agent.checks()[0]).toMatchObject({ status: "critical", output: "down" });
  });

  it("when the check is updated with a JSON body, then status and output are set; a bad status answers 400", async () => {
    await register("inventory-1");
    const ok = await call("PUT", "/v1/agent/check/update/service:inventory-1", {
      Status: "passing",
      Output: "fine",
    });
    expect(ok.status).toBe(200);
    expect(agent.checks()[0]).toMatchObject({ status: "passing", output: "fine" });

    const bad = await call("PUT", "/v1/agent/check/update/service:inventory-1", { Status: "great" });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe('Invalid check status: "great"');
  });

  it("when an unknown check is updated, then the agent answers 404 as Consul does", async () => {
    const answer = await call("PUT", "/v1/agent/check/pass/service:nobody");
    expect(answer.status).toBe(404);
    expect(answer.text).toBe(
      'Unknown check ID "service:nobody". Ensure that the check ID is passed, not the check name.',
    );
  });

  it("when a check that is not a TTL check is updated, then the agent answers 500 'does not have associated TTL'", async () => {
    await register("inventory-1", { HTTP: "http://10.0.0.5:8081/health", Interval: "10s" });
    const answer = await call("PUT", "/v1/agent/check/pass/service:inventory-1");
    expect(answer.status).toBe(500);
    expect(answer.text).toBe('CheckID "service:inventory-1" does not have associated TTL');
  });

  it("when no update arrives within the TTL, then the check turns critical with Consul's output", async () => {
    await register("inventory-1", { TTL: "30ms" });
    await call("PUT", "/v1/agent/check/pass/service:inventory-1?note=ok");
    // On a busy machine the TTL may also run out before the pass; the expiry that counts follows it.
    const passed = await agent.waitForEvent((e) => e.type === "check" && e.source === "api");
    const expired = await agent.waitForEvent((e) => e.type === "check" && e.source === "ttl-expired", {
      since: passed.seq,
    });
    expect(expired).toMatchObject({ status: "critical", previous: "passing" });
    expect(agent.checks()[0]?.output).toBe("TTL expired (last output before timeout follows): ok");
  });

  it("when a check stays critical past DeregisterCriticalServiceAfter, then the agent removes the service", async () => {
    await register("inventory-1", { TTL: "30s", DeregisterCriticalServiceAfter: "20ms" });
    const removed = await agent.waitForEvent((e) => e.type === "deregister");
    expect(removed).toMatchObject({ serviceId: "inventory-1", reason: "critical-timeout" });
    expect(agent.services()).toEqual([]);
  });

  it("when a test sets a service's status, then its checks report it", async () => {
    await register("inventory-1");
    agent.setCheckStatus("inventory-1", "passing");
    expect(agent.checks()[0]?.status).toBe("passing");
    expect(agent.events.at(-1)).toMatchObject({
      type: "check",
      source: "test",
      previous: "critical",
      status: "passing",
    });
  });
});

describe("consul test agent: health and catalogue", () => {
  it("when asked for passing instances, then only instances whose checks all pass come back, in Consul's shape", async () => {
    await register("inventory-1", { TTL: "30s" }, 7001);
    await register("inventory-2", { TTL: "30s" }, 7002);
    await call("PUT", "/v1/agent/check/pass/service:inventory-1");

    const all = await call("GET", "/v1/health/service/inventory");
    expect(all.json()).toHaveLength(2);
    const passing = await call("GET", "/v1/health/service/inventory?passing=true");
    expect(passing.index).toBeGreaterThan(0);
    const entries = passing.json() as Record<string, Record<string, unknown> & { Checks: unknown[] }>[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      Node: { Node: "orderly-consul-test", Address: "127.0.0.1", Datacenter: "dc1" },
      Service: {
        ID: "inventory-1",
        Service: "inventory",
        Address: "10.0.0.5",
        Port: 7001,
        Meta: { version: "1.2.3" },
      },
    });
    expect(entries[0]?.Checks).toMatchObject([
      { CheckID: "serfHealth", Status: "passing" },
      { CheckID: "service:inventory-1", Status: "passing", ServiceID: "inventory-1" },
    ]);
  });

  it("when asked for the catalogue, then services, instances and the leader come back as Consul shapes them", async () => {
    await register("inventory-1");
    expect((await call("GET", "/v1/catalog/services")).json()).toEqual({ consul: [], inventory: ["grpc"] });
    expect((await call("GET", "/v1/catalog/service/inventory")).json()).toMatchObject([
      {
        Node: "orderly-consul-test",
        ServiceID: "inventory-1",
        ServiceName: "inventory",
        ServiceAddress: "10.0.0.5",
        ServicePort: 7000,
      },
    ]);
    expect((await call("GET", "/v1/status/leader")).json()).toBe("127.0.0.1:8300");
  });

  it("when a blocking query carries the current index, then it answers once the service changes, with a higher index", async () => {
    await register("inventory-1");
    const first = await call("GET", "/v1/health/service/inventory?passing=true");
    expect(first.json()).toEqual([]);

    const blocked = call("GET", `/v1/health/service/inventory?passing=true&index=${first.index}&wait=30s`);
    await call("PUT", "/v1/agent/check/pass/service:inventory-1");
    const answer = await blocked;
    expect(answer.index).toBeGreaterThan(first.index as number);
    expect(answer.json()).toHaveLength(1);
  });

  it("when a blocking query sees no change, then it answers after `wait` with the same index", async () => {
    await register("inventory-1");
    const first = await call("GET", "/v1/health/service/inventory");
    // Other services' changes do not wake it.
    const blocked = call("GET", `/v1/health/service/inventory?index=${first.index}&wait=50ms`);
    await call("PUT", "/v1/agent/service/register", { Name: "order", Check: { TTL: "5s" } });
    expect((await blocked).index).toBe(first.index);
  });

  it("when a steady heartbeat repeats the same status, then the index does not move", async () => {
    await register("inventory-1");
    await call("PUT", "/v1/agent/check/pass/service:inventory-1");
    const before = (await call("GET", "/v1/health/service/inventory")).index;
    await call("PUT", "/v1/agent/check/pass/service:inventory-1");
    expect((await call("GET", "/v1/health/service/inventory")).index).toBe(before);
  });
});

describe("consul test agent: controls", () => {
  it("when stopped, then connections are refused; after restart the same port answers with an empty catalogue and a lower index", async () => {
    await register("inventory-1");
    const before = (await call("GET", "/v1/health/service/inventory")).index as number;
    await agent.stop();
    await expect(fetch(`${agent.url}/v1/status/leader`)).rejects.toThrow();

    await agent.restart();
    expect(agent.services()).toEqual([]);
    const after = await call("GET", "/v1/health/service/inventory");
    expect(after.json()).toEqual([]);
    expect(after.index).toBeLessThan(before);
    // Updating a check the restarted agent never saw is how a client learns it must register again.
    expect((await call("PUT", "/v1/agent/check/pass/service:inventory-1")).status).toBe(404);
  });

  it("when restarted with keepCatalog, then services and check statuses survive", async () => {
    await register("inventory-1");
    agent.setCheckStatus("inventory-1", "passing");
    await agent.restart({ keepCatalog: true });
    expect(agent.services().map((s) => s.id)).toEqual(["inventory-1"]);
    expect(agent.checks()[0]?.status).toBe("passing");
  });

  it("when stopped, then a blocked query's connection is cut", async () => {
    await register("inventory-1");
    const first = await call("GET", "/v1/health/service/inventory");
    const blocked = call("GET", `/v1/health/service/inventory?index=${first.index}&wait=30s`);
    await agent.stop();
    await expect(blocked).rejects.toThrow();
  });

  it("when an ACL token is required, then requests without it answer 403 and requests with it succeed", async () => {
    const secured = await startConsulTestAgent({ aclToken: "s3cret" });
    try {
      expect((await fetch(`${secured.url}/v1/agent/services`)).status).toBe(403);
      const ok = await fetch(`${secured.url}/v1/agent/services`, { headers: { "X-Consul-Token": "s3cret" } });
      expect(ok.status).toBe(200);
    } finally {
      await secured.stop();
    }
  });
});
