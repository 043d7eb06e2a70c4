import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Health as HealthService,
  HealthCheckResponse_ServingStatus as Status,
} from "@orderly/contracts/grpc-health";
import { InventoryService } from "@orderly/contracts/inventory";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { startConsulTestAgent } from "../../../testkit/src/consul-agent/index.ts";
import { createTestDatabase } from "../../../testkit/src/db/index.ts";
import { parsePrometheusText } from "../http/prometheus-text.test-support.ts";
import type { BackgroundTask } from "./background-task.ts";
import { createFixtureService, SLOW_ROUTE } from "./testing/fixture-app.ts";
import { listServicesByReflection } from "./testing/grpc-reflection.test-support.ts";
import {
  acceptsConnections,
  capturedLog,
  fixtureConfig,
  stopWhenFinished,
  testClient,
} from "./testing/service-test-kit.test-support.ts";

async function servingFixture(env: Record<string, string> = {}) {
  const service = stopWhenFinished(await createFixtureService(fixtureConfig(env)));
  const { httpPort, grpcPort } = await service.start();
  return { service, httpUrl: `http://127.0.0.1:${httpPort}`, grpcTarget: `127.0.0.1:${grpcPort}` };
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let migrations: string;

beforeAll(async () => {
  migrations = await mkdtemp(join(tmpdir(), "orderly-service-test-migrations-"));
  await writeFile(
    join(migrations, "001_notes.sql"),
    "create table notes (id serial primary key, text text);\n",
  );
});

afterAll(() => rm(migrations, { recursive: true, force: true }));

/** A fresh embedded database, dropped when the test ends. */
async function databaseEnv(): Promise<Record<string, string>> {
  const database = await createTestDatabase("pglite", "service");
  onTestFinished(() => database.drop());
  return { DATABASE_URL: database.url };
}

describe("a service built with the kit, in process", () => {
  it("when started, then /health, /health/live and /health/ready answer for a serving instance", async () => {
    const { httpUrl } = await servingFixture();

    const health = await getJson(`${httpUrl}/health`);
    const live = await getJson(`${httpUrl}/health/live`);
    const ready = await getJson(`${httpUrl}/health/ready`);

    expect(health).toMatchObject({
      status: 200,
      body: { status: "pass", state: "SERVING", service: "inventory", version: "0.0.0-fixture", checks: {} },
    });
    expect(live).toEqual({ status: 200, body: { status: "pass" } });
    expect(ready).toMatchObject({ status: 200, body: { status: "pass", state: "SERVING" } });
  });

  it("when scraped after HTTP and gRPC traffic, then /metrics is valid Prometheus text with both RED histograms", async () => {
    const { httpUrl, grpcTarget } = await servingFixture();
    await fetch(`${httpUrl}${SLOW_ROUTE}`).then((r) => r.arrayBuffer());
    await testClient(InventoryService, grpcTarget).getItem({ sku: "MUG-1" });

    const response = await fetch(`${httpUrl}/metrics`);
    const families = parsePrometheusText(await response.text());

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(families.get("orderly_http_server_request_duration_seconds")?.samples).toContainEqual(
      expect.objectContaining({
        name: "orderly_http_server_request_duration_seconds_count",
        labels: expect.objectContaining({
          http_request_method: "GET",
          http_route: SLOW_ROUTE,
          http_response_status_code: "200",
        }),
        value: 1,
      }),
    );
    expect(families.get("orderly_rpc_server_duration_seconds")?.samples).toContainEqual(
      expect.objectContaining({
        name: "orderly_rpc_server_duration_seconds_count",
        labels: expect.objectContaining({ rpc_method: "GetItem", rpc_grpc_status_code: "0" }),
        value: 1,
      }),
    );
    // Default runtime metrics are on unless a test turns them off.
    expect(families.has("nodejs_eventloop_lag_seconds")).toBe(true);
  });

  it("when a gRPC health client asks, then Check and Watch say SERVING, and Watch sees NOT_SERVING once it stops", async () => {
    // A propagation delay keeps the stream open after the flip, as in production.
    const { service, grpcTarget } = await servingFixture({ SHUTDOWN_PROPAGATION_DELAY_MS: "200" });
    const health = testClient(HealthService, grpcTarget);
    const updates = health.watch({ service: "" })[Symbol.asyncIterator]();

    const checked = await health.check({ service: InventoryService.typeName });
    const first = await updates.next();
    const stopped = service.stop("test");
    const second = await updates.next();
    await updates.return?.();
    await stopped;

    expect(checked.status).toBe(Status.SERVING);
    expect(first.value?.status).toBe(Status.SERVING);
    expect(second.value?.status).toBe(Status.NOT_SERVING);
  });

  it("when a reflection client lists services, then it sees the service's API and grpc.health.v1.Health", async () => {
    const { grpcTarget } = await servingFixture();

    expect(await listServicesByReflection(grpcTarget)).toEqual([
      "grpc.health.v1.Health",
      "orderly.inventory.v1.InventoryService",
    ]);
  });

  it("when AUTH_DISABLED=true, then the service warns at creation that tokens are not checked; with a JWKS it does not", async () => {
    const disabled = capturedLog();
    stopWhenFinished(await createFixtureService(fixtureConfig(), { log: disabled.log }));
    const dir = await mkdtemp(join(tmpdir(), "kit-auth-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "jwks.json"), '{"keys":[]}');
    const enabled = capturedLog();
    stopWhenFinished(
      await createFixtureService(
        fixtureConfig({
          AUTH_DISABLED: "false",
          AUTH_JWKS_FILE: join(dir, "jwks.json"),
          AUTH_ISSUER: "https://id.test",
          AUTH_AUDIENCE: "orderly",
        }),
        { log: enabled.log },
      ),
    );

    const warnings = (lines: { level: string; msg?: string }[]) =>
      lines.filter((l) => l.level === "warn" && l.msg?.includes("AUTH_DISABLED")).length;
    expect(warnings(disabled.lines)).toBe(1);
    expect(warnings(enabled.lines)).toBe(0);
  });

  it("when EXPOSE_API_DOCS is off, then neither /openapi.json nor reflection is served, while health still answers", async () => {
    const { httpUrl, grpcTarget } = await servingFixture({ EXPOSE_API_DOCS: "false" });

    const openapi = await fetch(`${httpUrl}/openapi.json`);
    const health = await fetch(`${httpUrl}/health/live`);

    expect(openapi.status).toBe(404);
    expect(health.status).toBe(200);
    await expect(listServicesByReflection(grpcTarget)).rejects.toMatchObject({ code: 12 });
  });

  it("when stopped with requests in flight, then they complete before background work stops, which may still use the database", async () => {
    const { log, lines } = capturedLog();
    const service = stopWhenFinished(
      await createFixtureService(fixtureConfig({ ...(await databaseEnv()), FIXTURE_SLOW_MS: "300" }), {
        log,
        migrationsFolder: migrations,
        collectDefaultMetrics: false,
      }),
    );
    const seenAtTaskStop: { requestFinished?: boolean; databaseAnswered?: boolean } = {};
    service.addBackground({
      name: "recorder",
      start() {},
      async stop() {
        seenAtTaskStop.requestFinished = lines.some((l) => l.msg === "slow request finished");
        await service.database.check.check(AbortSignal.timeout(10_000));
        seenAtTaskStop.databaseAnswered = true;
      },
    });
    const { httpPort } = await service.start();
    const inFlight = fetch(`http://127.0.0.1:${httpPort}${SLOW_ROUTE}`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await untilLogged(lines, "slow request started");

    await service.stop("test");

    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    expect(seenAtTaskStop).toEqual({ requestFinished: true, databaseAnswered: true });
    await expect(service.database.check.check(AbortSignal.timeout(10_000))).rejects.toThrow();
    expect(service.lifecycle.state).toBe("STOPPED");
  });

  it("when the HTTP port is taken, then start rejects, the gRPC port is released and the database is closed", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const takenPort = (blocker.address() as { port: number }).port;
    const { log, lines } = capturedLog();
    const service = await createFixtureService(
      fixtureConfig({ ...(await databaseEnv()), HTTP_PORT: String(takenPort) }),
      { log, migrationsFolder: migrations, collectDefaultMetrics: false },
    );

    await expect(service.start()).rejects.toMatchObject({ code: "EADDRINUSE" });

    const grpcPort = lines.find((l) => typeof l.grpcPort === "number")?.grpcPort as number;
    expect(grpcPort).toBeGreaterThan(0);
    expect(await acceptsConnections(grpcPort)).toBe(false);
    await expect(service.database.check.check(AbortSignal.timeout(10_000))).rejects.toThrow();
    expect(service.lifecycle.state).toBe("STOPPED");
    expect(lines.some((l) => l.level === "error" && /failed to start/.test(l.msg))).toBe(true);
  });

  it("when a background task fails to start, then start rejects with its error, the tasks already started stop and no port stays open", async () => {
    const { log, lines } = capturedLog();
    const service = await createFixtureService(fixtureConfig(), { log, collectDefaultMetrics: false });
    const stopped: string[] = [];
    const task = (name: string, start: () => void): BackgroundTask => ({
      name,
      start,
      async stop() {
        stopped.push(name);
      },
    });
    service.addBackground(task("first", () => {}));
    service.addBackground(
      task("second", () => {
        throw new Error("relay could not start");
      }),
    );
    service.addBackground(task("never-started", () => {}));

    await expect(service.start()).rejects.toThrow("relay could not start");

    const grpcPort = lines.find((l) => typeof l.grpcPort === "number")?.grpcPort as number;
    expect(grpcPort).toBeGreaterThan(0);
    expect(await acceptsConnections(grpcPort)).toBe(false);
    expect(stopped).toEqual(["second", "first"]);
    expect(service.lifecycle.state).toBe("STOPPED");
  });

  it("when stop() is called before start(), then it resolves, the database is closed and start() then rejects", async () => {
    const service = await createFixtureService(fixtureConfig(await databaseEnv()), {
      log: capturedLog().log,
      migrationsFolder: migrations,
      collectDefaultMetrics: false,
    });

    await service.stop("never started");

    expect(service.lifecycle.state).toBe("STOPPED");
    await expect(service.database.check.check(AbortSignal.timeout(10_000))).rejects.toThrow();
    await expect(service.start()).rejects.toThrow("inventory is stopping or stopped; it cannot start");
  });

  it("when stop() is called while start() is under way, then start rejects, nothing stays listening and Consul never sees the instance", async () => {
    const agent = await startConsulTestAgent();
    onTestFinished(() => agent.stop());
    const { log, lines } = capturedLog();
    const service = await createFixtureService(fixtureConfig({ CONSUL_HTTP_ADDR: agent.address }), {
      log,
      collectDefaultMetrics: false,
    });
    let stopping: Promise<void> | undefined;
    service.addBackground({
      name: "interrupts-start",
      start() {
        stopping = service.stop("signal during start");
      },
      async stop() {},
    });

    await expect(service.start()).rejects.toThrow("inventory was stopped while starting");
    await stopping;

    const httpPort = Number(/:(\d+)$/.exec(String(lines.find((l) => /listening at/.test(l.msg))?.msg))?.[1]);
    expect(await acceptsConnections(httpPort)).toBe(false);
    expect(service.lifecycle.state).toBe("STOPPED");
    expect(agent.services()).toEqual([]);
    expect(agent.events.filter((e) => e.type === "register")).toEqual([]);
  });

  it("when stop() is called twice, then both calls resolve after one shutdown", async () => {
    const { log, lines } = capturedLog();
    const service = await createFixtureService(fixtureConfig(), { log, collectDefaultMetrics: false });
    await service.start();

    await Promise.all([service.stop("first"), service.stop("second")]);

    expect(lines.filter((l) => l.msg === "inventory stopped")).toHaveLength(1);
  });

  it("when a lifecycle listener throws during stop, then the shutdown still drains and closes everything", async () => {
    const { log, lines } = capturedLog();
    const service = await createFixtureService(fixtureConfig(), { log, collectDefaultMetrics: false });
    const { httpPort, grpcPort } = await service.start();
    service.lifecycle.onChange(() => {
      throw new Error("listener bug");
    });

    await service.stop("test");

    expect(service.lifecycle.state).toBe("STOPPED");
    expect(await acceptsConnections(httpPort)).toBe(false);
    expect(await acceptsConnections(grpcPort)).toBe(false);
    expect(lines).toContainEqual(expect.objectContaining({ level: "error", step: "lifecycle DRAINING" }));
  });

  it("when a task is added after start(), then addBackground throws rather than leave it unstarted", async () => {
    const { service } = await servingFixture();

    expect(() => service.addBackground({ name: "late", start() {}, async stop() {} })).toThrow(
      "addBackground(late) after start()",
    );
  });
});

async function untilLogged(lines: readonly { msg: string }[], msg: string): Promise<void> {
  for (let i = 0; i < 1000 && !lines.some((l) => l.msg === msg); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!lines.some((l) => l.msg === msg)) throw new Error(`never logged "${msg}"`);
}
