import { credentials, makeGenericClientConstructor } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ECHO_SERVICE, HEALTH_SERVICE, SERVING } from "./fixtures/echo-grpc.ts";
import { type CollectedSpan, OtlpCollector, SPAN_KIND } from "./fixtures/otlp-collector.ts";
import { type Fixture, type FixtureProcess, spawnFixture } from "./fixtures/spawn-fixture.ts";

// Each fixture is a real `node --import register.ts` process: the ESM hook, the instrumentations
// and the OTLP exporter all load as they do in production.
describe("tracing across processes", { timeout: 60_000 }, () => {
  let collector: OtlpCollector;
  let endpoint: string;
  const running: FixtureProcess[] = [];

  beforeEach(async () => {
    collector = new OtlpCollector();
    endpoint = await collector.start();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((fixture) => fixture.stop()));
    await collector.stop();
  });

  async function start(
    fixture: Fixture,
    env: Record<string, string>,
    args: string[] = [],
  ): Promise<FixtureProcess> {
    const process = await spawnFixture(fixture, env, args);
    running.push(process);
    return process;
  }

  async function stop(fixture: FixtureProcess): Promise<number | null> {
    running.splice(running.indexOf(fixture), 1);
    return fixture.stop();
  }

  const exportingTo = (service: string) => ({
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  });

  it("when an HTTP request makes a gRPC call to another service, then both services' spans form one trace whose id both services' log lines carry", async () => {
    const server = await start("echo-server.ts", exportingTo("echo-server"));
    const gateway = await start("echo-gateway.ts", exportingTo("echo-gateway"), [
      `127.0.0.1:${port(server)}`,
    ]);

    expect((await fetch(`http://127.0.0.1:${port(gateway)}/health`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port(gateway)}/v1/ping`)).json()).toEqual({
      reply: "pong",
    });
    expect(await checkHealth(port(server))).toEqual(SERVING);
    // Graceful stop is what flushes: each fixture calls shutdownTelemetry() on SIGTERM.
    expect(await stop(gateway)).toBe(0);
    expect(await stop(server)).toBe(0);

    const spans = collector.spans;
    const traceIds = new Set(spans.map((span) => span.traceId));
    // One trace only: /health and the health Check would each have started a trace of their own.
    expect(traceIds.size).toBe(1);
    const [traceId] = traceIds;

    const httpServer = only(
      spans,
      (span) => span.service === "echo-gateway" && span.kind === SPAN_KIND.SERVER,
    );
    expect(httpServer).toMatchObject({ parentSpanId: undefined, attributes: { "http.route": "/v1/ping" } });
    const grpcClient = only(
      spans,
      (span) => span.service === "echo-gateway" && span.kind === SPAN_KIND.CLIENT,
    );
    const grpcServer = only(
      spans,
      (span) => span.service === "echo-server" && span.kind === SPAN_KIND.SERVER,
    );
    expect(grpcServer.name).toBe("grpc.orderly.fixture.v1.Echo/Ping");
    expect(grpcServer.parentSpanId).toBe(grpcClient.spanId);
    expect(spans.some((span) => span.attributes["url.path"] === "/health")).toBe(false);
    expect(spans.some((span) => span.attributes["rpc.service"] === "grpc.health.v1.Health")).toBe(false);

    expect(line(gateway, "calling echo server").trace_id).toBe(traceId);
    expect(line(gateway, "echo server replied").trace_id).toBe(traceId);
    expect(line(server, "ping served")).toMatchObject({ trace_id: traceId, span_id: grpcServer.spanId });
    expect(line(gateway, "health served")).not.toHaveProperty("trace_id");
    expect(line(server, "health checked")).not.toHaveProperty("trace_id");
    expect(line(gateway, "stopped").telemetry).toBe("flushed");
    expect(line(server, "stopped").telemetry).toBe("flushed");

    // Metrics and logs signals are off: nothing but traces reached the collector.
    expect(new Set(collector.paths)).toEqual(new Set(["/v1/traces"]));
  });

  it("when kit services call each other (HTTP server, gRPC client and server), then one trace crosses them and their probes and scrapes stay untraced", async () => {
    const kitService = (name: string, extra: Record<string, string> = {}) => ({
      ...exportingTo(name),
      HTTP_HOST: "127.0.0.1",
      GRPC_HOST: "127.0.0.1",
      HTTP_PORT: "0",
      GRPC_PORT: "0",
      SHUTDOWN_PROPAGATION_DELAY_MS: "0",
      INSTANCE_ID: `${name}-1`,
      ...extra,
    });
    const inventory = await start("kit-inventory.ts", kitService("inventory"));
    const inventoryGrpc = port(inventory, "grpcPort");
    const order = await start(
      "kit-order.ts",
      kitService("order", { INVENTORY_GRPC_ADDR: `127.0.0.1:${inventoryGrpc}` }),
    );
    const orderHttp = `http://127.0.0.1:${port(order, "httpPort")}`;

    for (const path of ["/health", "/health/live", "/health/ready", "/metrics"]) {
      expect((await fetch(`${orderHttp}${path}`)).status, path).toBe(200);
    }
    expect(await (await fetch(`${orderHttp}/v1/items/MUG-1`)).json()).toEqual({
      sku: "MUG-1",
      name: "Blue mug",
    });
    expect(await checkHealth(inventoryGrpc)).toEqual(SERVING);
    expect(await stop(order)).toBe(0);
    expect(await stop(inventory)).toBe(0);

    const spans = collector.spans;
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const [traceId] = new Set(spans.map((span) => span.traceId));
    // Exactly one client and one server span: the kit's client does not add a second traceparent.
    const grpcClient = only(spans, (span) => span.service === "order" && span.kind === SPAN_KIND.CLIENT);
    const grpcServer = only(spans, (span) => span.service === "inventory" && span.kind === SPAN_KIND.SERVER);
    expect(grpcServer).toMatchObject({
      parentSpanId: grpcClient.spanId,
      attributes: { "rpc.service": "orderly.inventory.v1.InventoryService", "rpc.method": "GetItem" },
    });
    expect(
      only(spans, (span) => span.service === "order" && span.kind === SPAN_KIND.SERVER).attributes,
    ).toMatchObject({
      "http.route": "/v1/items/:sku",
    });
    expect(line(order, "asking inventory").trace_id).toBe(traceId);
    expect(line(inventory, "item looked up")).toMatchObject({
      trace_id: traceId,
      span_id: grpcServer.spanId,
    });
  });

  it("when no exporter or endpoint is configured, then log lines still carry trace ids, spans are unsampled and nothing is printed", async () => {
    const server = await start("echo-server.ts", { OTEL_SERVICE_NAME: "echo-server" });

    await ping(port(server));
    expect(await stop(server)).toBe(0);

    // Unsampled (flags 00): no processor ever exports such a span, so nothing tries to connect.
    expect(line(server, "ping served")).toMatchObject({
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      trace_flags: "00",
    });
    expect(server.stderr()).toBe("");
  });

  it("when OTEL_SDK_DISABLED is true, then nothing is traced, exported or correlated", async () => {
    const server = await start("echo-server.ts", {
      ...exportingTo("echo-server"),
      OTEL_SDK_DISABLED: "true",
    });

    await ping(port(server));
    expect(await stop(server)).toBe(0);

    expect(line(server, "ping served")).not.toHaveProperty("trace_id");
    expect(line(server, "stopped").telemetry).toBe("off");
    expect(collector.paths).toEqual([]);
  });
});

function port(fixture: FixtureProcess, key = "port"): number {
  return fixture.ready[key] as number;
}

function only(spans: CollectedSpan[], predicate: (span: CollectedSpan) => boolean): CollectedSpan {
  const matching = spans.filter(predicate);
  expect(matching).toHaveLength(1);
  return matching[0] as CollectedSpan;
}

function line(fixture: FixtureProcess, msg: string): Record<string, unknown> {
  const found = fixture.lines.find((entry) => entry.msg === msg);
  if (!found) throw new Error(`no log line "${msg}" in ${JSON.stringify(fixture.lines)}`);
  return found;
}

type RawClient = Record<
  string,
  (request: Buffer, callback: (error: Error | null, reply?: Buffer) => void) => void
>;

/** A unary call from the test process itself, which runs no SDK: the call carries no traceparent. */
function call(port: number, service: typeof ECHO_SERVICE | typeof HEALTH_SERVICE): Promise<Buffer> {
  const Client = makeGenericClientConstructor(service, "Fixture");
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  const [method] = Object.keys(service);
  const invoke = (client as unknown as RawClient)[method ?? ""];
  return new Promise<Buffer>((resolve, reject) => {
    invoke?.call(client, Buffer.alloc(0), (error, reply) => {
      client.close();
      if (error || !reply) reject(error ?? new Error("no reply"));
      else resolve(reply);
    });
  });
}

const ping = (port: number) => call(port, ECHO_SERVICE);
const checkHealth = (port: number) => call(port, HEALTH_SERVICE);
