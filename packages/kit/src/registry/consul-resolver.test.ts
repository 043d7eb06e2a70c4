import * as grpc from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// The kit cannot depend on @orderly/testkit by name (testkit depends on the kit), so the test reaches it by path.
import { type ConsulTestAgent, startConsulTestAgent } from "../../../testkit/src/consul-agent/index.ts";
import { Lifecycle } from "../health/index.ts";
import { ConsulRegistration } from "./consul-registration.ts";
import { registerConsulResolver } from "./consul-resolver.ts";
import { discoveryTarget } from "./discovery-target.ts";
import {
  type EchoClient,
  type EchoServer,
  echoClient,
  eventually,
  recordingLogger,
  startEchoServer,
} from "./registry.test-support.ts";

interface Instance {
  server: EchoServer;
  lifecycle: Lifecycle;
  registration: ConsulRegistration;
}

let agent: ConsulTestAgent;
let logs: ReturnType<typeof recordingLogger>;
const instances: Instance[] = [];
const clients: EchoClient[] = [];

beforeEach(async () => {
  agent = await startConsulTestAgent();
  logs = recordingLogger();
  // A long wait proves changes arrive through blocking queries, not by polling.
  registerConsulResolver({ log: logs.log, waitSeconds: 30, retryMs: 50 });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(instances.splice(0).map((i) => Promise.all([i.registration.stop(), i.server.stop()])));
  await agent.stop();
});

/** A serving echo server registered in the agent the way a service registers itself. */
async function startInstance(name: string): Promise<Instance> {
  const server = await startEchoServer(name);
  const lifecycle = new Lifecycle();
  lifecycle.moveTo("SERVING");
  const registration = new ConsulRegistration({
    consulUrl: agent.url,
    service: {
      id: name,
      name: "echo",
      address: "127.0.0.1",
      grpcPort: server.port,
      httpPort: 1,
      version: "test",
    },
    lifecycle,
    ttlSeconds: 1.5,
    requestTimeoutMs: 500,
    log: recordingLogger().log,
  });
  await registration.start();
  const instance = { server, lifecycle, registration };
  instances.push(instance);
  return instance;
}

function client(): EchoClient {
  const c = echoClient(discoveryTarget({ consulUrl: agent.url, service: "echo" }));
  clients.push(c);
  return c;
}

/** Waits until a batch of calls is answered by exactly `names` (as a set). */
function servedBy(c: EchoClient, names: string[], batch = 10): Promise<string[]> {
  const wanted = [...names].sort().join(",");
  return eventually(
    async () => {
      const answered = await c.batch(batch);
      return [...new Set(answered)].sort().join(",") === wanted ? answered : undefined;
    },
    { what: `calls served by ${wanted}` },
  );
}

describe("consul discovery", () => {
  it("when two instances pass, then round robin spreads calls over both", async () => {
    await startInstance("a");
    await startInstance("b");
    const c = client();

    const answered = await servedBy(c, ["a", "b"]);
    // Round robin alternates once both connections are ready.
    expect(answered.filter((n) => n === "a").length).toBeGreaterThanOrEqual(4);
    expect(answered.filter((n) => n === "b").length).toBeGreaterThanOrEqual(4);
  });

  it("when a new instance registers, then it starts receiving calls without a restart", async () => {
    await startInstance("a");
    await startInstance("b");
    const c = client();
    await servedBy(c, ["a", "b"]);

    await startInstance("c");
    await servedBy(c, ["a", "b", "c"], 12);
  });

  it("when an instance's check goes critical, then it stops receiving calls", async () => {
    await startInstance("a");
    const b = await startInstance("b");
    const c = client();
    await servedBy(c, ["a", "b"]);

    b.lifecycle.moveTo("DRAINING");
    await servedBy(c, ["a"]);
    expect(new Set(await c.batch(20))).toEqual(new Set(["a"]));
  });

  it("when the test agent sets an instance critical, then calls leave it and come back once it passes", async () => {
    await startInstance("a");
    // Registered without heartbeats, so only the test moves its check.
    const b = await startEchoServer("b");
    const registered = await fetch(`${agent.url}/v1/agent/service/register`, {
      method: "PUT",
      body: JSON.stringify({
        ID: "b",
        Name: "echo",
        Address: "127.0.0.1",
        Port: b.port,
        Check: { TTL: "60s", Status: "passing" },
      }),
    });
    expect(registered.status).toBe(200);
    const c = client();
    await servedBy(c, ["a", "b"]);

    agent.setCheckStatus("b", "critical");
    await servedBy(c, ["a"]);
    agent.setCheckStatus("b", "passing");
    await servedBy(c, ["a", "b"]);
    await b.stop();
  });

  it("when the agent stops, then calls keep working on the last known set", async () => {
    await startInstance("a");
    await startInstance("b");
    const c = client();
    await servedBy(c, ["a", "b"]);

    await agent.stop();
    await logs.waitFor(/^consul unreachable; keeping the last known instances$/);
    expect(new Set(await c.batch(20))).toEqual(new Set(["a", "b"]));
  });

  it("when the agent restarts with an empty catalogue, then the instances register again and the watch follows the new index", async () => {
    await startInstance("a");
    const c = client();
    await servedBy(c, ["a"]);

    await agent.restart();
    await startInstance("b");
    // The restarted agent's index starts over; a watch that kept its old index would block for 30 s.
    await servedBy(c, ["a", "b"]);
  });

  it("when Consul lists no passing instance yet, then calls fail UNAVAILABLE, and succeed once one registers", async () => {
    const c = client();
    const error = await c.who().catch((e: grpc.ServiceError) => e);
    expect(error).toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect((error as grpc.ServiceError).details).toContain('consul lists no passing instance of "echo"');

    await startInstance("a");
    await servedBy(c, ["a"]);
  });

  it("when Consul is unreachable and nothing is known, then calls fail UNAVAILABLE naming Consul", async () => {
    await agent.stop();
    const c = client();
    const error = await c.who().catch((e: grpc.ServiceError) => e);
    expect(error).toMatchObject({ code: grpc.status.UNAVAILABLE });
    expect((error as grpc.ServiceError).details).toContain('consul unreachable for "echo"');
  });
});
