import { OrderService } from "@orderly/contracts/order";
import { Code } from "@orderly/kit/errors";
import { type Client, createGrpcClient } from "@orderly/kit/grpc";
import { createLogger } from "@orderly/kit/log";
import { createMetrics } from "@orderly/kit/metrics";
import type { Service } from "@orderly/kit/service";
import { createTestAuth, type TestAuth } from "@orderly/testkit/auth";
import { expectRejected } from "@orderly/testkit/grpc";
import { type RunningService, startInProcess } from "@orderly/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/main.ts";
import { FakePeers } from "./support/fake-peers.ts";

/** Who sees which order: a token's subject is the customer; admin sees all. */
describe("order service with bearer tokens on, peers faked", () => {
  let peers: FakePeers;
  let auth: TestAuth;
  let running: RunningService;
  let grpc: Client<typeof OrderService>;
  let n = 0;
  const body = (customer: string) =>
    JSON.stringify({
      customer_id: customer,
      lines: [{ sku: "MUG-1", quantity: 1 }],
      shipping_address: {
        name: "Ada",
        line1: "1 Loop",
        city: "Berlin",
        postal_code: "10115",
        country_code: "DE",
      },
    });
  const request = (path: string, authorization: string, init: RequestInit = {}) =>
    fetch(`${running.httpUrl}${path}`, {
      ...init,
      headers: {
        authorization,
        "content-type": "application/json",
        ...(init.headers as Record<string, string>),
      },
    });
  const create = (customer: string, authorization: string) =>
    request("/v1/orders", authorization, {
      method: "POST",
      headers: { "idempotency-key": `access-${n++}` },
      body: body(customer),
    });
  const alice = () => auth.bearer({ sub: "alice", scope: "orders:read orders:write" });
  const bob = () => auth.bearer({ sub: "bob", scope: "orders:read orders:write" });
  const admin = () => auth.bearer({ sub: "ops", scope: "admin" });
  let aliceOrder: string;

  beforeAll(async () => {
    peers = new FakePeers();
    const peer = `127.0.0.1:${await peers.listen()}`;
    auth = await createTestAuth();
    const start = (env: Record<string, string | undefined>) =>
      main(env) as unknown as Promise<Service<string, unknown>>;
    running = await startInProcess(start, {
      DATABASE_URL: "pglite:memory",
      INVENTORY_GRPC_ADDR: peer,
      INVOICE_GRPC_ADDR: peer,
      FULFILLMENT_GRPC_ADDR: peer,
      ...auth.env,
    });
    grpc = createGrpcClient(OrderService, {
      target: running.grpcAddress,
      peer: "order",
      log: createLogger({ service: "test", version: "0", instance: "test", level: "silent" }),
      metrics: createMetrics({ service: "test", version: "0", collectDefault: false }),
      retry: false,
    });
    const created = await create("alice", await alice());
    expect(created.status).toBe(201);
    aliceOrder = ((await created.json()) as { id: string }).id;
  }, 60_000);
  afterAll(async () => {
    grpc?.close();
    await running?.stop();
    await peers?.stop();
    auth?.remove();
  });

  it("when alice reads her order, then 200; when bob reads it, then 404 ORDER_NOT_FOUND, never 403", async () => {
    const own = await request(`/v1/orders/${aliceOrder}`, await alice());
    const other = await request(`/v1/orders/${aliceOrder}`, await bob());

    expect(own.status).toBe(200);
    expect(other.status).toBe(404);
    expect(((await other.json()) as { reason: string }).reason).toBe("ORDER_NOT_FOUND");
  });

  it("when bob cancels alice's order, then 404 and it is not cancelled", async () => {
    const cancel = await request(`/v1/orders/${aliceOrder}/cancel`, await bob(), {
      method: "POST",
      body: "{}",
    });
    const after = (await (await request(`/v1/orders/${aliceOrder}`, await alice())).json()) as {
      status: string;
    };

    expect(cancel.status).toBe(404);
    expect(after.status).not.toBe("CANCELLED");
  });

  it("when bob creates an order for alice, then 403 CUSTOMER_MISMATCH and nothing is reserved", async () => {
    peers.calls.length = 0;
    const response = await create("alice", await bob());

    expect(response.status).toBe(403);
    expect(((await response.json()) as { reason: string }).reason).toBe("CUSTOMER_MISMATCH");
    expect(peers.calls).toEqual([]);
  });

  it("when bob lists orders, then only his own, and asking for alice's list is 403", async () => {
    await create("bob", await bob());
    const mine = (await (await request("/v1/orders", await bob())).json()) as {
      orders: { customer_id: string }[];
    };
    const hers = await request("/v1/orders?customer_id=alice", await bob());

    expect(mine.orders.length).toBeGreaterThan(0);
    expect(new Set(mine.orders.map((o) => o.customer_id))).toEqual(new Set(["bob"]));
    expect(hers.status).toBe(403);
  });

  it("when an admin reads or lists alice's orders, then it sees them", async () => {
    const read = await request(`/v1/orders/${aliceOrder}`, await admin());
    const list = (await (await request("/v1/orders?customer_id=alice", await admin())).json()) as {
      orders: { id: string }[];
    };

    expect(read.status).toBe(200);
    expect(list.orders.map((o) => o.id)).toContain(aliceOrder);
  });

  it("when a read-only token creates an order, then 403 SCOPE_MISSING", async () => {
    const response = await create("alice", await auth.bearer({ sub: "alice", scope: "orders:read" }));

    expect(response.status).toBe(403);
    expect(((await response.json()) as { reason: string }).reason).toBe("SCOPE_MISSING");
  });

  it("when bob gets, cancels or watches alice's order over gRPC, then NOT_FOUND; alice gets it", async () => {
    const asBob = { metadata: { authorization: await bob() } };
    const asAlice = { metadata: { authorization: await alice() } };

    await expectRejected(grpc.getOrder({ id: aliceOrder }, asBob), {
      code: Code.NOT_FOUND,
      reason: "ORDER_NOT_FOUND",
    });
    await expectRejected(grpc.cancelOrder({ id: aliceOrder }, asBob), {
      code: Code.NOT_FOUND,
      reason: "ORDER_NOT_FOUND",
    });
    const watched = (async () => {
      for await (const _ of grpc.watchOrder({ id: aliceOrder }, asBob)) return "yielded";
      return "ended";
    })();
    await expectRejected(watched, { code: Code.NOT_FOUND, reason: "ORDER_NOT_FOUND" });
    expect((await grpc.getOrder({ id: aliceOrder }, asAlice)).order?.customerId).toBe("alice");
  });

  it("when a gRPC call carries no token, then UNAUTHENTICATED", async () => {
    await expectRejected(grpc.getOrder({ id: aliceOrder }), {
      code: Code.UNAUTHENTICATED,
      reason: "TOKEN_MISSING",
    });
  });
});
