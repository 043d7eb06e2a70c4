import { describe, expect, it } from "vitest";
import { createMetrics } from "./create-metrics.ts";
import { type MetricFamily, parseExposition } from "./exposition-format.test-support.ts";

const HTTP_LABELS = ["http_request_method", "http_route", "http_response_status_code"];
const RED_HISTOGRAMS = {
  orderly_http_server_request_duration_seconds: HTTP_LABELS,
  orderly_http_client_request_duration_seconds: HTTP_LABELS,
  orderly_rpc_server_duration_seconds: ["rpc_service", "rpc_method", "rpc_grpc_status_code"],
  orderly_rpc_client_duration_seconds: ["rpc_service", "rpc_method", "rpc_grpc_status_code"],
};

function observeEveryRedHistogram(metrics: ReturnType<typeof createMetrics>): void {
  metrics.httpServerDuration.observe(
    { http_request_method: "GET", http_route: "/v1/items/:sku", http_response_status_code: 200 },
    0.004,
  );
  const created = { http_request_method: "POST", http_route: "/v1/orders", http_response_status_code: 201 };
  metrics.httpServerDuration.observe(created, 0.3);
  metrics.httpServerDuration.observe(created, 12);
  metrics.httpClientDuration.observe(
    { http_request_method: "PUT", http_route: "/v1/agent/check/pass/:id", http_response_status_code: 200 },
    0.002,
  );
  metrics.rpcServerDuration.observe(
    { rpc_service: "orderly.inventory.v1.InventoryService", rpc_method: "Reserve", rpc_grpc_status_code: 0 },
    0.01,
  );
  metrics.rpcClientDuration.observe(
    { rpc_service: "orderly.inventory.v1.InventoryService", rpc_method: "Reserve", rpc_grpc_status_code: 14 },
    0.5,
  );
}

describe("createMetrics", () => {
  it("when everything has been observed, then /metrics output is valid Prometheus text format", async () => {
    const metrics = createMetrics({ service: "order", version: "1.2.0" });
    observeEveryRedHistogram(metrics);
    // Label values a strict parser must see escaped: quote, backslash, newline.
    metrics
      .counter("orderly_saga_steps_total", 'Saga steps run, by "step".', ["step"])
      .inc({ step: 'say "hi"\\ \nthere' });
    metrics.gauge("orderly_outbox_pending", "Outbox rows not yet delivered.").set(3);

    const { body, contentType } = await metrics.render();
    const families = parseExposition(body);

    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(families.get("orderly_saga_steps_total")?.samples[0]?.labels.step).toBe('say "hi"\\ \nthere');
    expect(families.get("orderly_outbox_pending")).toMatchObject({ type: "gauge", samples: [{ value: 3 }] });
    // Default runtime metrics are there too, and parse as well.
    expect(families.get("process_cpu_user_seconds_total")?.type).toBe("counter");
    expect(families.get("nodejs_eventloop_lag_seconds")?.type).toBe("gauge");
    expect(families.get("orderly_build_info")?.samples[0]).toMatchObject({
      labels: { service: "order", version: "1.2.0", node_version: process.versions.node },
      value: 1,
    });
  });

  it("when requests and calls are observed, then the four RED histograms exist with exactly their labels plus service", async () => {
    const metrics = createMetrics({ service: "order", version: "1.2.0", collectDefault: false });
    observeEveryRedHistogram(metrics);

    const families = parseExposition((await metrics.render()).body);

    for (const [name, labels] of Object.entries(RED_HISTOGRAMS)) {
      const family = families.get(name) as MetricFamily;
      expect(family.type, name).toBe("histogram");
      expect(family.help, name).toBeTruthy();
      for (const sample of family.samples) {
        const { le, service, ...own } = sample.labels;
        expect(Object.keys(own).sort(), sample.name).toEqual([...labels].sort());
        expect(service).toBe("order");
        expect(le !== undefined, sample.name).toBe(sample.name.endsWith("_bucket"));
      }
    }
    const count = families
      .get("orderly_http_server_request_duration_seconds")
      ?.samples.find((s) => s.name.endsWith("_count") && s.labels.http_route === "/v1/orders");
    expect(count?.value).toBe(2);
  });

  it("when two services' metrics are created in one process, then their registries do not collide", async () => {
    const order = createMetrics({ service: "order", version: "1", collectDefault: false });
    const inventory = createMetrics({ service: "inventory", version: "1", collectDefault: false });
    order.httpServerDuration.observe(
      { http_request_method: "GET", http_route: "/v1/orders", http_response_status_code: 200 },
      0.01,
    );

    const inventoryFamilies = parseExposition((await inventory.render()).body);

    expect(inventoryFamilies.get("orderly_http_server_request_duration_seconds")?.samples).toEqual([]);
  });
});

describe("metric names", () => {
  it("when a service names a metric without the orderly_ prefix, then it is exported with it", async () => {
    const metrics = createMetrics({ service: "inventory", version: "1", collectDefault: false });

    metrics.counter("inventory_reservations_expired_total", "Reservations expired.").inc(2);
    metrics.gauge("orderly_outbox_pending", "Outbox rows not yet delivered.").set(1);

    const families = parseExposition((await metrics.render()).body);
    expect(families.get("orderly_inventory_reservations_expired_total")?.samples[0]?.value).toBe(2);
    expect(families.get("orderly_outbox_pending")?.samples[0]?.value).toBe(1);
    expect(families.has("inventory_reservations_expired_total")).toBe(false);
  });

  it("when the same metric is asked for twice, then the second call returns the first one", () => {
    const metrics = createMetrics({ service: "inventory", version: "1", collectDefault: false });

    const first = metrics.counter("rpc_client_retries_total", "Retries.", ["rpc_service"]);
    const second = metrics.counter("rpc_client_retries_total", "Retries.", ["rpc_service"]);

    expect(second).toBe(first);
  });
});
