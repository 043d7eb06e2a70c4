// A rolling restart under load: two replicas of a kit service behind Consul, each stopped in turn
// the way SIGTERM stops it (Service.stop: not ready + Consul critical, propagation wait, drain) and
// replaced by a fresh instance, while a caller keeps calling through the kit client.
import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it, onTestFinished } from "vitest";
import { startConsulTestAgent } from "../../../testkit/src/consul-agent/index.ts";
import { createGrpcClient } from "../grpc/index.ts";
import { createLogger } from "../log/index.ts";
import { createMetrics, metricName } from "../metrics/index.ts";
import { discoveryTarget, ROUND_ROBIN_CHANNEL_OPTIONS, registerConsulResolver } from "../registry/index.ts";
import type { Service } from "./create-service.ts";
import { createFixtureService } from "./testing/fixture-app.ts";
import { fixtureConfig, pollUntil } from "./testing/service-test-kit.test-support.ts";

/** Calls this replica has served (its own RED histogram). */
async function served(service: Service): Promise<number> {
  const metric = service.metrics.registry.getSingleMetric(metricName("rpc_server_duration_seconds"));
  // prom-client's types omit metricName on histogram values; at runtime each carries it.
  const values = (metric ? (await metric.get()).values : []) as {
    value: number;
    labels: Record<string, unknown>;
    metricName?: string;
  }[];
  return values
    .filter((v) => v.metricName?.endsWith("_count") && v.labels.rpc_method === "GetItem")
    .reduce((sum, v) => sum + v.value, 0);
}

describe("rolling restart", () => {
  it("when each of two replicas behind Consul is stopped and replaced in turn under load, then no call fails and the new replicas take over", async () => {
    const agent = await startConsulTestAgent();
    onTestFinished(() => agent.stop());
    registerConsulResolver({ waitSeconds: 30, retryMs: 50 });
    const replica = async (id: string): Promise<Service> => {
      const service = await createFixtureService(
        fixtureConfig({
          INSTANCE_ID: id,
          CONSUL_HTTP_ADDR: agent.address,
          // Long enough for the callers' resolvers to drop the instance before its listener closes.
          SHUTDOWN_PROPAGATION_DELAY_MS: "300",
          FIXTURE_SLOW_MS: "20",
        }),
      );
      onTestFinished(() => service.stop("test finished"));
      await service.start();
      return service;
    };
    const callerMetrics = createMetrics({ service: "caller", version: "0", collectDefault: false });
    const inventory = createGrpcClient(InventoryService, {
      target: discoveryTarget({ consulUrl: agent.address, service: "inventory" }),
      peer: "inventory",
      log: createLogger({ service: "caller", version: "0", instance: "caller", level: "silent" }),
      metrics: callerMetrics,
      channelOptions: ROUND_ROBIN_CHANNEL_OPTIONS,
      // The kit's default retry policy (GetItem is NO_SIDE_EFFECTS); a generous deadline for a loaded machine.
      defaultDeadlineMs: 30_000,
    });
    onTestFinished(() => inventory.close());

    const a = await replica("inventory-a");
    const b = await replica("inventory-b");
    await pollUntil(async () => {
      await inventory.getItem({ sku: "warm" });
      return (await served(a)) > 0 && (await served(b)) > 0 ? true : undefined;
    }, "calls to reach both replicas");

    // Steady load: 8 callers in a loop until the restart is over (bounded by a call budget).
    let loading = true;
    let succeeded = 0;
    const failures: unknown[] = [];
    const caller = async () => {
      for (let i = 0; loading && i < 5000; i++) {
        try {
          await inventory.getItem({ sku: `MUG-${i}` });
          succeeded++;
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const callers = Array.from({ length: 8 }, caller);

    await a.stop("rolling restart");
    const a2 = await replica("inventory-a2");
    await pollUntil(async () => ((await served(a2)) > 0 ? true : undefined), "the replacement of a to serve");
    await b.stop("rolling restart");
    const b2 = await replica("inventory-b2");
    await pollUntil(async () => ((await served(b2)) > 0 ? true : undefined), "the replacement of b to serve");
    loading = false;
    await Promise.all(callers);

    expect(failures).toEqual([]);
    expect(succeeded).toBeGreaterThan(0);
    expect(a.lifecycle.state).toBe("STOPPED");
    expect(b.lifecycle.state).toBe("STOPPED");
  });

  it("when two replicas on a static address list are restarted in place one at a time under load, then no call fails", async () => {
    const replica = async (id: string, grpcPort = 0): Promise<Service> => {
      const service = await createFixtureService(
        fixtureConfig({
          INSTANCE_ID: id,
          GRPC_PORT: String(grpcPort),
          // Nothing to tell without Consul: the listener closes at once and the drain is all there is.
          SHUTDOWN_PROPAGATION_DELAY_MS: "0",
          FIXTURE_SLOW_MS: "20",
        }),
      );
      onTestFinished(() => service.stop("test finished"));
      await service.start();
      return service;
    };
    const a = await replica("inventory-a");
    const b = await replica("inventory-b");
    const ports = [a.addresses.grpcPort, b.addresses.grpcPort];
    const callerMetrics = createMetrics({ service: "caller", version: "0", collectDefault: false });
    const inventory = createGrpcClient(InventoryService, {
      target: discoveryTarget({
        service: "inventory",
        staticAddress: ports.map((p) => `127.0.0.1:${p}`).join(","),
      }),
      peer: "inventory",
      log: createLogger({ service: "caller", version: "0", instance: "caller", level: "silent" }),
      metrics: callerMetrics,
      channelOptions: ROUND_ROBIN_CHANNEL_OPTIONS,
      defaultDeadlineMs: 30_000,
    });
    onTestFinished(() => inventory.close());
    await pollUntil(async () => {
      await inventory.getItem({ sku: "warm" });
      return (await served(a)) > 0 && (await served(b)) > 0 ? true : undefined;
    }, "calls to reach both replicas");

    let loading = true;
    let succeeded = 0;
    const failures: unknown[] = [];
    const caller = async () => {
      for (let i = 0; loading && i < 5000; i++) {
        try {
          await inventory.getItem({ sku: `MUG-${i}` });
          succeeded++;
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const callers = Array.from({ length: 8 }, caller);

    // As an orchestrator does: the next replica goes only once its predecessor's successor serves.
    await a.stop("rolling restart");
    const a2 = await replica("inventory-a2", ports[0]);
    await pollUntil(async () => ((await served(a2)) > 0 ? true : undefined), "a's successor to serve", {
      attempts: 1000,
    });
    await b.stop("rolling restart");
    const b2 = await replica("inventory-b2", ports[1]);
    await pollUntil(async () => ((await served(b2)) > 0 ? true : undefined), "b's successor to serve", {
      attempts: 1000,
    });
    loading = false;
    await Promise.all(callers);

    expect(failures).toEqual([]);
    expect(succeeded).toBeGreaterThan(0);
  });

  it("when a draining replica cuts calls that outlive its drain timeout, then the client repeats them on the other replica", async () => {
    const stuck = await createFixtureService(
      fixtureConfig({
        INSTANCE_ID: "inventory-stuck",
        SHUTDOWN_PROPAGATION_DELAY_MS: "0",
        SHUTDOWN_DRAIN_TIMEOUT_MS: "200",
        // Every call waits for the drain, then far longer than the drain timeout.
        FIXTURE_HOLD_UNTIL_DRAIN: "1",
        FIXTURE_SLOW_MS: "3000",
      }),
    );
    onTestFinished(() => stuck.stop("test finished"));
    await stuck.start();
    const healthy = await createFixtureService(
      fixtureConfig({ INSTANCE_ID: "inventory-ok", FIXTURE_SLOW_MS: "0" }),
    );
    onTestFinished(() => healthy.stop("test finished"));
    await healthy.start();
    const callerMetrics = createMetrics({ service: "caller", version: "0", collectDefault: false });
    const inventory = createGrpcClient(InventoryService, {
      target: discoveryTarget({
        service: "inventory",
        staticAddress: [stuck, healthy].map((s) => `127.0.0.1:${s.addresses.grpcPort}`).join(","),
      }),
      peer: "inventory",
      log: createLogger({ service: "caller", version: "0", instance: "caller", level: "silent" }),
      metrics: callerMetrics,
      channelOptions: ROUND_ROBIN_CHANNEL_OPTIONS,
      defaultDeadlineMs: 30_000,
    });
    onTestFinished(() => inventory.close());
    // Calls until one is held by the stuck replica (round robin also sends some to the healthy one),
    // then until every call sent is either answered or held there: `held` is then exact.
    const calls: Promise<unknown>[] = [];
    let settled = 0;
    await pollUntil(async () => {
      calls.push(inventory.getItem({ sku: `MUG-${calls.length}` }).finally(() => settled++));
      return stuck.grpc.inFlight > 0 ? true : undefined;
    }, "a call held by the stuck replica");
    await pollUntil(
      async () => (settled + stuck.grpc.inFlight === calls.length ? true : undefined),
      "every call answered or held",
    );
    const held = stuck.grpc.inFlight;

    await stuck.stop("rolling restart");
    const answers = await Promise.allSettled(calls);

    expect(answers.filter((a) => a.status === "rejected")).toEqual([]);
    expect(await retriesOf(callerMetrics)).toBe(held);
  });
});

async function retriesOf(metrics: ReturnType<typeof createMetrics>): Promise<number> {
  const metric = metrics.registry.getSingleMetric(metricName("rpc_client_retries_total"));
  const values = metric ? (await metric.get()).values : [];
  return values.reduce((sum, v) => sum + v.value, 0);
}
