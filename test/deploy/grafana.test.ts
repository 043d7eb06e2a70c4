/**
 * The provisioned Grafana: its datasource points at compose's Prometheus, the dashboard uses that
 * datasource, and every metric the dashboard queries is one the services really export, checked
 * against a live /metrics of the order service (HTTP, gRPC, saga) and of fulfillment (outbox), both
 * on a nats-server of their own when one is installed (the event bus's orderly_events_* metrics).
 */
import { readdirSync } from "node:fs";
import type { RunningService } from "@orderly/testkit/harness";
import { natsServerAvailable, startNatsServer, type TestNatsServer } from "@orderly/testkit/nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricNamesIn, seriesNames } from "./support/prometheus.ts";
import { asArray, asRecord, dig, readRepoFile, readYaml } from "./support/repo.ts";
import { scrape, startFulfillment, startOrder } from "./support/running-services.ts";

const DASHBOARDS = "deploy/compose/grafana/dashboards";
/** Series Prometheus itself adds to every target; no service exports them. */
const PROMETHEUS_SERIES = new Set(["up", "scrape_duration_seconds", "scrape_samples_scraped"]);
/** The event bus's metrics exist only on a service with EVENT_BUS_URL: checked when a nats-server is installed. */
const withEventBus = natsServerAvailable();
const isEventBusMetric = (name: string) => name.startsWith("orderly_events_");

interface Query {
  panel: string;
  expr: string;
}

const compose = asRecord(readYaml("docker-compose.yml"), "docker-compose.yml");
const grafana = asRecord(dig(compose, "services", "grafana"), "services.grafana");
const datasources = asArray(
  dig(readYaml("deploy/compose/grafana/provisioning/datasources/prometheus.yaml"), "datasources"),
  "datasources",
);
const dashboardFiles = readdirSync(`${import.meta.dirname}/../../${DASHBOARDS}`).filter((f) =>
  f.endsWith(".json"),
);
const dashboards = dashboardFiles.map((file) => ({
  file,
  json: asRecord(JSON.parse(readRepoFile(`${DASHBOARDS}/${file}`)), file),
}));

/** Every PromQL expression of a dashboard: panel targets and query variables. */
function queriesOf(dashboard: Record<string, unknown>): Query[] {
  const queries: Query[] = [];
  const visit = (panels: unknown) => {
    for (const panel of Array.isArray(panels) ? panels : []) {
      const title = String(dig(panel, "title"));
      for (const target of asArray(dig(panel, "targets") ?? [], `${title}.targets`)) {
        const expr = dig(target, "expr");
        if (typeof expr === "string") queries.push({ panel: title, expr });
      }
      visit(dig(panel, "panels"));
    }
  };
  visit(dashboard.panels);
  for (const variable of asArray(dig(dashboard, "templating", "list") ?? [], "templating.list")) {
    const query = dig(variable, "query", "query") ?? dig(variable, "query");
    const labelValues = typeof query === "string" ? /label_values\(\s*([a-zA-Z_:][\w:]*)/.exec(query) : null;
    if (labelValues?.[1])
      queries.push({ panel: `variable ${String(dig(variable, "name"))}`, expr: labelValues[1] });
  }
  return queries;
}

/** The datasource uids a dashboard refers to (panels, targets, variables). */
function datasourceUids(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) datasourceUids(item, found);
  else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const uid = dig(child, "uid");
      if (key === "datasource" && typeof uid === "string") found.add(uid);
      else datasourceUids(child, found);
    }
  }
  return found;
}

describe("Grafana provisioning", () => {
  it("when Grafana starts, then its Prometheus datasource points at compose's prometheus service", () => {
    const prometheus = datasources.find((d) => dig(d, "type") === "prometheus");
    const url = new URL(String(dig(prometheus, "url")));
    expect(Object.keys(asRecord(compose.services, "services"))).toContain(url.hostname);
    expect(url.port).toBe("9090");
  });

  it("when Grafana loads the dashboard folder, then the provider reads the folder compose mounts the dashboards into", () => {
    const provider = asArray(
      dig(readYaml("deploy/compose/grafana/provisioning/dashboards/orderly.yaml"), "providers"),
      "providers",
    )[0];
    const mounts = asArray(grafana.volumes, "grafana.volumes").map(String);
    expect(mounts).toContain(`./${DASHBOARDS}:${String(dig(provider, "options", "path"))}:ro`);
  });

  it.each(dashboards)(
    "when $file is opened, then every panel uses the provisioned datasource",
    ({ json }) => {
      const provisioned = new Set(datasources.map((d) => String(dig(d, "uid"))));
      expect([...datasourceUids(json.panels)].filter((uid) => !provisioned.has(uid))).toEqual([]);
      expect(queriesOf(json).length).toBeGreaterThan(0);
    },
  );
});

describe("reading metric names out of PromQL", () => {
  it("when a query aggregates, filters and joins, then exactly its metric names are found", () => {
    const expr =
      'histogram_quantile(0.95, sum by (service, le) (rate(http_server_request_duration_seconds_bucket{service=~"$service", route!="/x"}[$__rate_interval]))) / on (service) group_left max(order_sagas_pending offset 5m) > bool 0';
    expect([...metricNamesIn(expr)].sort()).toEqual([
      "http_server_request_duration_seconds_bucket",
      "order_sagas_pending",
    ]);
  });
});

describe("the Orderly dashboard against live /metrics", () => {
  let order: RunningService;
  let fulfillment: RunningService;
  let exported: Set<string>;
  let nats: TestNatsServer | undefined;

  beforeAll(async () => {
    nats = withEventBus ? await startNatsServer() : undefined;
    const bus = nats ? { EVENT_BUS_URL: nats.url } : {};
    [order, fulfillment] = await Promise.all([startOrder(bus), startFulfillment(bus)]);
    const pages = await Promise.all([scrape(order), scrape(fulfillment)]);
    for (const page of pages) expect(page.status).toBe(200);
    exported = new Set(pages.flatMap((page) => [...seriesNames(page.body)]));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([order?.stop(), fulfillment?.stop()]);
    await nats?.stop();
  });

  it.each(dashboards)(
    "when $file queries Prometheus, then every metric it names is one a service exports",
    ({ json }) => {
      const unknown = queriesOf(json).flatMap(({ panel, expr }) =>
        [...metricNamesIn(expr)]
          .filter((name) => !exported.has(name) && !PROMETHEUS_SERIES.has(name))
          // Without a nats-server the services run without the bus; the next test is skipped then.
          .filter((name) => withEventBus || !isEventBusMetric(name))
          .map((name) => `${panel}: ${name}`),
      );
      expect(unknown).toEqual([]);
    },
  );

  it("when the Orderly dashboard is opened, then it shows RED per service and RPC, saga outcomes, sagas pending and the outbox backlog", () => {
    const orderly = dashboards.find(({ json }) => json.uid === "orderly-overview");
    const names = new Set(queriesOf(orderly?.json ?? {}).flatMap(({ expr }) => [...metricNamesIn(expr)]));
    for (const required of [
      "orderly_http_server_request_duration_seconds_count",
      "orderly_http_server_request_duration_seconds_bucket",
      "orderly_rpc_server_duration_seconds_count",
      "orderly_rpc_server_duration_seconds_bucket",
      "orderly_orders_total",
      "orderly_order_sagas_pending",
      "outbox_backlog",
    ]) {
      expect(names).toContain(required);
    }
  });

  it.runIf(withEventBus)(
    "when the services run on the event bus, then the dashboard shows published, consumed, redelivered and dead-lettered events, consumer lag and relay backlog age, all exported",
    () => {
      const orderly = dashboards.find(({ json }) => json.uid === "orderly-overview");
      const names = new Set(queriesOf(orderly?.json ?? {}).flatMap(({ expr }) => [...metricNamesIn(expr)]));
      const required = [
        "orderly_events_published_total",
        "orderly_events_consumed_total",
        "orderly_events_redelivered_total",
        "orderly_events_dead_lettered_total",
        "orderly_events_consumer_pending",
        "orderly_events_relay_backlog_age_seconds",
      ];
      for (const name of required) {
        expect(names).toContain(name);
        expect(exported).toContain(name);
      }
    },
  );
});
