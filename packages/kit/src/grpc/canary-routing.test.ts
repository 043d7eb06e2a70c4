import { InventoryService } from "@orderly/contracts/inventory";
import { OrderService } from "@orderly/contracts/order";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// The kit cannot depend on @orderly/testkit by name (testkit depends on the kit), so the test reaches it by path.
import { type ConsulTestAgent, startConsulTestAgent } from "../../../testkit/src/consul-agent/index.ts";
import { unavailable } from "../errors/index.ts";
import { Lifecycle } from "../health/index.ts";
import {
  ConsulRegistration,
  discoveryTarget,
  registerConsulResolver,
  versionTargets,
} from "../registry/index.ts";
import { eventually, recordingLogger } from "../registry/registry.test-support.ts";
import { ROUND_ROBIN_CHANNEL_OPTIONS } from "../registry/round-robin.ts";
import { CANARY_HEADER, withCanaryFlag } from "./canary-context.ts";
import { client, fakeInventory, fakeOrders, metricValue, startServer, testKit } from "./test-harness.ts";

const STABLE = "1.0.0";
const CANARY = "2.0.0-canary.1";

let agent: ConsulTestAgent;
const registrations: ConsulRegistration[] = [];

beforeEach(async () => {
  agent = await startConsulTestAgent();
  registerConsulResolver({ log: recordingLogger().log, waitSeconds: 30, retryMs: 50 });
});

afterEach(async () => {
  await Promise.all(registrations.splice(0).map((r) => r.stop()));
  await agent.stop();
});

interface Instance {
  lifecycle: Lifecycle;
  /** The canary flag each call arrived with, in order. */
  flags: string[];
}

/**
 * An inventory instance answering getItem with its own name, registered with its version; while
 * `broken()` says so it answers UNAVAILABLE instead (a bad release).
 */
async function startInstance(name: string, version: string, broken = () => false): Promise<Instance> {
  const kit = testKit();
  const flags: string[] = [];
  const { port } = await startServer(kit, (s) =>
    s.add(
      InventoryService,
      fakeInventory({
        async getItem(_request, ctx) {
          flags.push(String(ctx.metadata.get(CANARY_HEADER)[0] ?? ""));
          if (broken()) throw unavailable("BROKEN_RELEASE", `${name} is broken`);
          return { item: { sku: name } };
        },
      }),
    ),
  );
  const lifecycle = new Lifecycle();
  lifecycle.moveTo("SERVING");
  const registration = new ConsulRegistration({
    consulUrl: agent.url,
    service: { id: name, name: "inventory", address: "127.0.0.1", grpcPort: port, httpPort: 1, version },
    lifecycle,
    ttlSeconds: 1.5,
    requestTimeoutMs: 500,
    log: recordingLogger().log,
  });
  await registration.start();
  registrations.push(registration);
  return { lifecycle, flags };
}

/** A kit client of "inventory" with CANARY_VERSION routing, as Service.client builds it. */
function canaryClient(share: number, random?: () => number) {
  const kit = testKit();
  const targets = versionTargets(discoveryTarget({ consulUrl: agent.url, service: "inventory" }), CANARY);
  const inventory = client(kit, InventoryService, targets.stable, {
    channelOptions: { ...ROUND_ROBIN_CHANNEL_OPTIONS },
    canary: { target: targets.canary, share, ...(random ? { random } : {}) },
  });
  const servedBy = async (n: number, canary?: boolean): Promise<string[]> => {
    const names: string[] = [];
    for (let i = 0; i < n; i++) {
      const response = await inventory.getItem({ sku: "x" }, canary === undefined ? {} : { canary });
      names.push(response.item?.sku ?? "");
    }
    return names;
  };
  return { kit, inventory, servedBy };
}

describe("canary routing over Consul", () => {
  it("when a canary instance is up, then flagged calls reach only it and unflagged ones only stable", async () => {
    await startInstance("stable-a", STABLE);
    await startInstance("stable-b", STABLE);
    const canary = await startInstance("canary", CANARY);
    const { kit, servedBy } = canaryClient(0);

    // The canary channel connects in the background; until READY, flagged calls go to stable.
    await eventually(async () => ((await servedBy(1, true))[0] === "canary" ? true : undefined));
    const flagged = await servedBy(10, true);
    const unflagged = await servedBy(10);

    expect(new Set(flagged)).toEqual(new Set(["canary"]));
    expect(new Set(unflagged)).toEqual(new Set(["stable-a", "stable-b"]));
    expect(canary.flags.at(-1)).toBe("1");
    expect(await metricValue(kit.metrics, "rpc_client_canary_calls_total", { peer: "inventory" })).toBe(11);
  });

  it("when CANARY_SHARE is 0.25, then a quarter of unflagged calls go to the canary", async () => {
    await startInstance("stable", STABLE);
    const canary = await startInstance("canary", CANARY);
    // Deterministic draws: 0.0, 0.1, … 0.9 repeated; draws under 0.25 pick the canary.
    let draw = 0;
    const { servedBy } = canaryClient(0.25, () => (draw++ % 10) / 10);
    await eventually(async () => ((await servedBy(1, true))[0] === "canary" ? true : undefined));
    draw = 0;

    const names = await servedBy(20);

    expect(names.filter((n) => n === "canary")).toHaveLength(6);
    expect(names.filter((n) => n === "stable")).toHaveLength(14);
    // Share-routed calls are not flagged: only the caller's own flag travels on.
    expect(canary.flags.slice(-6)).toEqual(["", "", "", "", "", ""]);
  });

  it("when no canary instance exists, then flagged calls are served by stable without a failure", async () => {
    await startInstance("stable", STABLE);
    const { servedBy } = canaryClient(1);

    expect(new Set(await servedBy(10, true))).toEqual(new Set(["stable"]));
    expect(new Set(await servedBy(10))).toEqual(new Set(["stable"]));
  });

  it("when the canary is rolled back (its check goes critical), then every call lands on stable, none failing", async () => {
    await startInstance("stable", STABLE);
    const canary = await startInstance("canary", CANARY);
    const { servedBy } = canaryClient(0.5);
    await eventually(async () => ((await servedBy(1, true))[0] === "canary" ? true : undefined));

    canary.lifecycle.moveTo("DRAINING");
    // Every call in the meantime succeeds (servedBy throws on a failed call); then only stable answers.
    await eventually(async () => (new Set(await servedBy(10, true)).has("canary") ? undefined : true));

    expect(new Set(await servedBy(20, true))).toEqual(new Set(["stable"]));
  });

  it("when only canary instances are left, then unflagged calls go to the canary rather than fail", async () => {
    const stable = await startInstance("stable", STABLE);
    await startInstance("canary", CANARY);
    const { servedBy } = canaryClient(0);
    await eventually(async () => ((await servedBy(1, true))[0] === "canary" ? true : undefined));

    stable.lifecycle.moveTo("DRAINING");

    await eventually(async () => (new Set(await servedBy(5)).has("stable") ? undefined : true));
    expect(new Set(await servedBy(10))).toEqual(new Set(["canary"]));
  });

  it("when an HTTP request carries x-orderly-canary: 1, then its gRPC calls go to the canary with the flag", async () => {
    await startInstance("stable", STABLE);
    const canary = await startInstance("canary", CANARY);
    const { inventory, servedBy } = canaryClient(0);
    await eventually(async () => ((await servedBy(1, true))[0] === "canary" ? true : undefined));

    const flagged = await withCanaryFlag("1", () => inventory.getItem({ sku: "x" }));
    const unflagged = await withCanaryFlag(undefined, () => inventory.getItem({ sku: "x" }));

    expect(flagged.item?.sku).toBe("canary");
    expect(canary.flags.at(-1)).toBe("1");
    expect(unflagged.item?.sku).toBe("stable");
  });

  it("when a gRPC call being served carries x-orderly-canary: 1, then the calls it makes go to the canary with the flag", async () => {
    await startInstance("stable", STABLE);
    const canary = await startInstance("canary", CANARY);
    const { inventory, servedBy } = canaryClient(0);
    await eventually(async () => ((await servedBy(1, true))[0] === "canary" ? true : undefined));
    // A front service whose GetOrder asks inventory, as the order service does.
    const front = testKit();
    const { target } = await startServer(front, (s) =>
      s.add(
        OrderService,
        fakeOrders({
          async getOrder() {
            const item = await inventory.getItem({ sku: "x" });
            return { order: { id: item.item?.sku ?? "" } };
          },
        }),
      ),
    );
    const orders = client(front, OrderService, target);

    const flagged = await orders.getOrder({ id: "o" }, { metadata: { [CANARY_HEADER]: "1" } });
    const plain = await orders.getOrder({ id: "o" });

    expect(flagged.order?.id).toBe("canary");
    expect(canary.flags.at(-1)).toBe("1");
    expect(plain.order?.id).toBe("stable");
  });

  it("when the canary fails its attempts, then each is counted as a canary error and the retry on stable answers", async () => {
    await startInstance("stable", STABLE);
    let broken = false;
    await startInstance("canary", CANARY, () => broken);
    // Draws alternate 0.0 (canary) and 0.9 (stable): each call's first attempt goes to the canary.
    let draw = 0;
    const { kit, servedBy } = canaryClient(0.5, () => (draw++ % 2 === 0 ? 0 : 0.9));
    await eventually(async () => ((await servedBy(1, true))[0] === "canary" ? true : undefined));
    const callsBefore = await metricValue(kit.metrics, "rpc_client_canary_calls_total", {
      peer: "inventory",
    });
    broken = true;
    draw = 0;

    const names = await servedBy(5);

    expect(names).toEqual(["stable", "stable", "stable", "stable", "stable"]);
    expect(await metricValue(kit.metrics, "rpc_client_canary_errors_total", { peer: "inventory" })).toBe(5);
    expect(await metricValue(kit.metrics, "rpc_client_canary_calls_total", { peer: "inventory" })).toBe(
      callsBefore + 5,
    );
  });
});
