import { type ConsulTestAgent, startConsulTestAgent } from "@orderly/testkit/consul-agent";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deregisterInstance, isPassing, registerInstance, waitPassing } from "./consul-instances.ts";

let agent: ConsulTestAgent;

beforeEach(async () => {
  agent = await startConsulTestAgent();
});

afterEach(async () => {
  await agent.stop();
});

describe("consul instances", () => {
  it("when the suite registers a canary, then it is listed passing with its version, and gone once deregistered", async () => {
    await registerInstance(agent, {
      id: "inventory-canary",
      service: "inventory",
      port: 4100,
      version: "2.0.0-c",
    });

    expect(agent.services()).toEqual([
      expect.objectContaining({
        id: "inventory-canary",
        name: "inventory",
        port: 4100,
        meta: { version: "2.0.0-c" },
      }),
    ]);

    await deregisterInstance(agent, "inventory-canary");

    expect(agent.services()).toEqual([]);
  });

  it("when an instance's check is critical, then it is not passing and waiting for it times out naming its port", async () => {
    const body = { ID: "inv-1", Name: "inventory", Address: "127.0.0.1", Port: 4200, Check: { TTL: "10s" } };
    await fetch(`${agent.url}/v1/agent/service/register`, { method: "PUT", body: JSON.stringify(body) });
    agent.setCheckStatus("inv-1", "critical");

    expect(isPassing(agent, 4200)).toBe(false);
    await expect(waitPassing(agent, [4200], 300)).rejects.toThrow(/4200 not passing/);

    agent.setCheckStatus("inv-1", "passing");
    expect(isPassing(agent, 4200)).toBe(true);
  });
});
