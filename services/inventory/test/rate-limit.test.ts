import { Code } from "@orderly/kit/errors";
import { createTestAuth, type TestAuth } from "@orderly/testkit/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failure, type InventoryHarness, startInventory, useInventory } from "./support/inventory-harness.ts";

// The service as main() builds it, with its budget lowered from 600 to 4 a minute: what a client
// sees when it bursts. (Other tests run with RATE_LIMIT_PER_MINUTE=0, the harness default.)
describe("rate limit of a running service (pglite)", () => {
  const h = useInventory("pglite", "rate_limit", { RATE_LIMIT_PER_MINUTE: "4" });

  it("when a client bursts reads over HTTP and gRPC, then the budget is shared and the fifth call is refused with when to retry", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.http("GET", "/v1/items")).status);
    await h.inventory.listItems({});
    expect(statuses).toEqual([200, 200, 200]);

    const refused = await fetch(`${h.httpUrl}/v1/items`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("ratelimit-limit")).toBe("4");
    expect(await refused.json()).toMatchObject({ reason: "RATE_LIMITED", code: "RESOURCE_EXHAUSTED" });

    const error = await failure(h.inventory.listItems({}));
    expect(error).toMatchObject({ code: Code.RESOURCE_EXHAUSTED, reason: "RATE_LIMITED" });
    expect(error.retryAfterMs).toBeGreaterThan(0);

    // Probes keep answering for a caller that is over budget.
    expect((await fetch(`${h.httpUrl}/health/ready`)).status).toBe(200);
    expect((await fetch(`${h.httpUrl}/metrics`)).status).toBe(200);
  });
});

describe("rate limit per token subject (pglite, auth on)", () => {
  let auth: TestAuth;
  let h: InventoryHarness;
  beforeAll(async () => {
    auth = await createTestAuth();
    h = await startInventory("pglite", "rate_limit_subjects", { RATE_LIMIT_PER_MINUTE: "3", ...auth.env });
  });
  afterAll(async () => {
    await h?.close();
    auth?.remove();
  });

  const read = async (subject: string) =>
    (
      await fetch(`${h.httpUrl}/v1/items`, {
        headers: { authorization: await auth.bearer({ sub: subject, scope: "inventory:read" }) },
      })
    ).status;

  it("when two customers call from one address, then each token subject has its own budget", async () => {
    const alice = [await read("alice"), await read("alice"), await read("alice"), await read("alice")];
    const bob = [await read("bob"), await read("bob"), await read("bob")];
    expect(alice).toEqual([200, 200, 200, 429]);
    expect(bob).toEqual([200, 200, 200]);
  });
});
