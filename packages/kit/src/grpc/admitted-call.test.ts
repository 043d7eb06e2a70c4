import { Health, HealthCheckResponse_ServingStatus as Status } from "@orderly/contracts/grpc-health";
import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it, vi } from "vitest";
import { Code } from "../errors/index.ts";
import { AdmissionLimit } from "../load/admission-limit.ts";
import { GradientLimit } from "../load/gradient-limit.ts";
import { OVERLOADED_REASON } from "../load/shedding.ts";
import { client, fakeInventory, heldGetItem, metricValue, startServer, testKit } from "./test-harness.ts";

const noRetry = { retry: false } as const;

describe("admission limit on gRPC", () => {
  it("when latency climbs under load, then the adaptive limit comes down and the overflow is refused UNAVAILABLE OVERLOADED with retry info, while health still answers", async () => {
    const kit = testKit();
    let now = 0;
    const admission = new AdmissionLimit(
      new GradientLimit({ minLimit: 2, maxLimit: 100, minWindowSamples: 4, minWindowMs: 0 }),
      () => now,
    );
    const held = heldGetItem();
    const started = await startServer(
      kit,
      (s) => s.add(InventoryService, fakeInventory({ getItem: held.getItem })),
      { admission, loadShedding: { maxEventLoopDelayMs: 0, retryAfterMs: 1500 } },
    );
    const inventory = client(kit, InventoryService, started.target, noRetry);
    const health = client(kit, Health, started.target, noRetry);
    const batch = async (count: number, ms: number) => {
      const calls = Array.from({ length: count }, () => inventory.getItem({ sku: "A" }));
      await vi.waitFor(() => expect(held.waiting()).toBe(count));
      now += ms;
      held.releaseAll();
      return Promise.all(calls);
    };
    await batch(4, 10);
    // Two windows at 10x the baseline with 8 in flight: the limit drops to 8 x 0.5.
    await batch(8, 100);
    expect(admission.limit).toBe(4);

    const admitted = Array.from({ length: 4 }, () => inventory.getItem({ sku: "B" }));
    await vi.waitFor(() => expect(held.waiting()).toBe(4));
    const shed = await inventory.getItem({ sku: "C" }).catch((e: unknown) => e);
    const probe = await health.check({ service: "" });
    held.releaseAll();

    expect(shed).toMatchObject({
      code: Code.UNAVAILABLE,
      reason: OVERLOADED_REASON,
      retryAfterMs: 1500,
      details: { cause: "in_flight" },
    });
    expect(probe.status).toBe(Status.SERVING);
    expect(await metricValue(kit.metrics, "admission_limit", { transport: "grpc" })).toBe(4);
    expect(
      await metricValue(kit.metrics, "requests_shed_total", { transport: "grpc", cause: "in_flight" }),
    ).toBe(1);
    expect((await Promise.all(admitted)).map((r) => r.item?.sku)).toEqual(["B", "B", "B", "B"]);
  });
});
