import { Health, HealthCheckResponse_ServingStatus as Status } from "@orderly/contracts/grpc-health";
import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it, vi } from "vitest";
import type { AdmissionPolicy } from "../config/index.ts";
import { type AppError, Code } from "../errors/index.ts";
import { OVERLOADED_REASON } from "../load/shedding.ts";
import { type LoadReadings, OverloadGuard } from "./overload-guard.ts";
import {
  client,
  fakeInventory,
  heldGetItem,
  metricValue,
  startServer,
  type TestKit,
  testKit,
} from "./test-harness.ts";

const CALM: LoadReadings = { eventLoopDelayMs: 0, heapUsedBytes: 1, rssBytes: 1 };

/** An inventory server whose process readings the test sets; it samples them every 5 ms. */
async function pressuredServer(kit: TestKit, options: { admission?: AdmissionPolicy } = {}) {
  let readings = CALM;
  let adjusted = 0;
  const slow = heldGetItem((sku) => sku === "SLOW");
  const started = await startServer(
    kit,
    (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          getItem: slow.getItem,
          async adjustStock() {
            adjusted++;
            return {};
          },
        }),
      ),
    {
      loadShedding: {
        maxEventLoopDelayMs: 200,
        retryAfterMs: 1500,
        sampleIntervalMs: 5,
        readings: () => readings,
      },
      ...options,
    },
  );
  return {
    ...started,
    setReadings: (next: LoadReadings) => {
      readings = next;
    },
    adjusted: () => adjusted,
    releaseSlow: slow.releaseAll,
  };
}

const noRetry = { retry: false } as const;

describe("gRPC load shedding", () => {
  it("when the event-loop delay is over its limit, then calls are refused UNAVAILABLE OVERLOADED with retry info, before the handler runs", async () => {
    const kit = testKit();
    const server = await pressuredServer(kit);
    const inventory = client(kit, InventoryService, server.target, noRetry);
    expect((await inventory.getItem({ sku: "A" })).item?.sku).toBe("A");

    server.setReadings({ ...CALM, eventLoopDelayMs: 450 });
    // The next sample (5 ms) turns shedding on: wait for the first refused read.
    await vi.waitFor(async () => {
      await expect(inventory.getItem({ sku: "A" })).rejects.toMatchObject({ reason: OVERLOADED_REASON });
    });
    const error = await inventory.adjustStock({ sku: "A", delta: 1n, reason: "r" }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: Code.UNAVAILABLE, reason: OVERLOADED_REASON, retryAfterMs: 1500 });
    expect((error as AppError).details).toMatchObject({ cause: "event_loop_delay" });
    expect(server.adjusted()).toBe(0);
    expect(
      await metricValue(kit.metrics, "requests_shed_total", { transport: "grpc", cause: "event_loop_delay" }),
    ).toBe(2);
  });

  it("when overloaded, then health checks still answer SERVING", async () => {
    const kit = testKit();
    const server = await pressuredServer(kit);
    const inventory = client(kit, InventoryService, server.target, noRetry);
    const health = client(kit, Health, server.target, noRetry);

    server.setReadings({ ...CALM, eventLoopDelayMs: 450 });
    await vi.waitFor(async () => {
      await expect(inventory.getItem({ sku: "A" })).rejects.toMatchObject({ reason: OVERLOADED_REASON });
    });

    expect((await health.check({ service: "" })).status).toBe(Status.SERVING);
  });

  it("when the pressure is gone, then calls are admitted again", async () => {
    const kit = testKit();
    const server = await pressuredServer(kit);
    const inventory = client(kit, InventoryService, server.target, noRetry);
    server.setReadings({ ...CALM, eventLoopDelayMs: 450 });
    await vi.waitFor(async () => {
      await expect(inventory.getItem({ sku: "A" })).rejects.toMatchObject({ reason: OVERLOADED_REASON });
    });

    server.setReadings(CALM);

    await vi.waitFor(async () => expect((await inventory.getItem({ sku: "B" })).item?.sku).toBe("B"));
  });

  it("when the in-flight limit is reached, then a new call is shed and the running one completes", async () => {
    const kit = testKit();
    const server = await pressuredServer(kit, { admission: { mode: "static", limit: 1 } });
    const inventory = client(kit, InventoryService, server.target, noRetry);
    const slow = inventory.getItem({ sku: "SLOW" });
    await vi.waitFor(() => expect(server.server.inFlight).toBe(1));

    const shed = await inventory.getItem({ sku: "B" }).catch((e: unknown) => e);
    server.releaseSlow();

    expect(shed).toMatchObject({
      code: Code.UNAVAILABLE,
      reason: OVERLOADED_REASON,
      details: { cause: "in_flight" },
    });
    expect((await slow).item?.sku).toBe("SLOW");
    expect(
      await metricValue(kit.metrics, "requests_shed_total", { transport: "grpc", cause: "in_flight" }),
    ).toBe(1);
  });

  it("when one of two instances sheds a call of a non-idempotent method, then the client repeats it on the other", async () => {
    const kit = testKit();
    const busy = await pressuredServer(kit, { admission: { mode: "static", limit: 1 } });
    const calm = await pressuredServer(kit);
    // Keep the busy instance at its limit, so every call it gets is shed.
    const busyClient = client(kit, InventoryService, busy.target, noRetry);
    const slow = busyClient.getItem({ sku: "SLOW" });
    await vi.waitFor(() => expect(busy.server.inFlight).toBe(1));
    const inventory = client(kit, InventoryService, `ipv4:${busy.target},${calm.target}`, {
      channelOptions: {
        "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
      },
    });

    for (let i = 0; i < 6; i++) await inventory.adjustStock({ sku: "A", delta: 1n, reason: "r" });
    busy.releaseSlow();
    await slow;

    expect(calm.adjusted()).toBe(6);
    expect(busy.adjusted()).toBe(0);
  });

  it("when one sample is over the limit but the next is not, then nothing is shed: only sustained pressure counts", () => {
    let readings = CALM;
    const guard = new OverloadGuard({ maxEventLoopDelayMs: 200, readings: () => readings });
    const stall = { ...CALM, eventLoopDelayMs: 3000 };

    readings = stall;
    guard.sample();
    const afterOneStall = guard.check();
    readings = CALM;
    guard.sample();
    readings = stall;
    guard.sample();
    const afterStallAgain = guard.check();
    guard.sample();
    const afterTwoInARow = guard.check();
    readings = CALM;
    guard.sample();

    expect([afterOneStall, afterStallAgain, afterTwoInARow, guard.check()]).toEqual([
      undefined,
      undefined,
      "event_loop_delay",
      undefined,
    ]);
  });
});
