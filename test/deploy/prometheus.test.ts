/**
 * deploy/compose/prometheus/prometheus.yml finds its targets in Consul. promtool is not available,
 * so the structure is checked here, and the discovery is exercised for real: kit services register
 * in the testkit's Consul-API agent, the catalogue is read as Prometheus' consul_sd does, the file's
 * relabel_configs are applied, and the resulting address must serve /metrics.
 */
import { type ConsulTestAgent, startConsulTestAgent } from "@orderly/testkit/consul-agent";
import type { RunningService } from "@orderly/testkit/harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RelabelRule, relabel } from "./support/prometheus.ts";
import { asArray, asRecord, dig, readYaml } from "./support/repo.ts";
import { startFulfillment } from "./support/running-services.ts";

const CONFIG = "deploy/compose/prometheus/prometheus.yml";
const config = asRecord(readYaml(CONFIG), CONFIG);
const compose = asRecord(readYaml("docker-compose.yml"), "docker-compose.yml");
const jobs = asArray(config.scrape_configs, "scrape_configs").map((job) => asRecord(job, "scrape job"));
const orderly = jobs.find((job) => Array.isArray(job.consul_sd_configs));

interface ConsulHealthEntry {
  Node: { Node: string; Address: string; Datacenter?: string };
  Service: {
    ID: string;
    Service: string;
    Address: string;
    Port: number;
    Tags: string[] | null;
    Meta: Record<string, string> | null;
  };
  Checks: { Status: string }[];
}

/** The targets Prometheus' consul_sd would produce from this agent, before relabelling. */
async function discover(consulUrl: string): Promise<Record<string, string>[]> {
  const services = (await (await fetch(`${consulUrl}/v1/catalog/services`)).json()) as Record<
    string,
    unknown
  >;
  const targets: Record<string, string>[] = [];
  for (const name of Object.keys(services)) {
    const entries = (await (
      await fetch(`${consulUrl}/v1/health/service/${name}`)
    ).json()) as ConsulHealthEntry[];
    for (const { Node, Service, Checks } of entries) {
      const host = Service.Address || Node.Address;
      const health = Checks.some((c) => c.Status === "critical")
        ? "critical"
        : Checks.some((c) => c.Status === "warning")
          ? "warning"
          : "passing";
      targets.push({
        __address__: `${host}:${Service.Port}`,
        __meta_consul_node: Node.Node,
        __meta_consul_address: Node.Address,
        __meta_consul_service: Service.Service,
        __meta_consul_service_id: Service.ID,
        __meta_consul_service_address: Service.Address,
        __meta_consul_service_port: String(Service.Port),
        __meta_consul_health: health,
        __meta_consul_tags: `,${(Service.Tags ?? []).join(",")},`,
        ...Object.fromEntries(
          Object.entries(Service.Meta ?? {}).map(([key, value]) => [
            `__meta_consul_service_metadata_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`,
            value,
          ]),
        ),
      });
    }
  }
  return targets;
}

/** Targets after the job's relabelling, as Prometheus would scrape them. */
async function scrapeTargets(consulUrl: string): Promise<Record<string, string>[]> {
  const rules = asArray(orderly?.relabel_configs, "relabel_configs") as RelabelRule[];
  return (await discover(consulUrl))
    .map((labels) => relabel(labels, rules))
    .filter((target): target is Record<string, string> => target !== undefined);
}

describe("the Prometheus configuration", () => {
  it("when Prometheus starts, then a scrape job discovers targets from compose's Consul and scrapes /metrics", () => {
    expect(orderly, `${CONFIG} has no job with consul_sd_configs`).toBeDefined();
    expect(orderly?.metrics_path ?? "/metrics").toBe("/metrics");
    const sd = asArray(orderly?.consul_sd_configs, "consul_sd_configs").map((c) =>
      asRecord(c, "consul_sd_config"),
    );
    const [host, port] = String(sd[0]?.server).split(":");
    expect(Object.keys(asRecord(compose.services, "services"))).toContain(host);
    expect(port).toBe("8500");
    // No fixed service list to keep in step with the services: filtering is by the http_port Meta.
    expect(sd[0]?.services).toBeUndefined();
  });

  it("when a target is relabelled, then its address port comes from the service Meta http_port", () => {
    const rules = asArray(orderly?.relabel_configs, "relabel_configs") as RelabelRule[];
    const addressRule = rules.find((rule) => rule.target_label === "__address__");
    expect(addressRule?.source_labels).toContain("__meta_consul_service_metadata_http_port");
  });

  it("when compose publishes Prometheus, then it mounts this file where the image reads its configuration", () => {
    const volumes = asArray(dig(compose, "services", "prometheus", "volumes"), "prometheus.volumes");
    expect(volumes).toContain(`./${CONFIG}:/etc/prometheus/prometheus.yml:ro`);
  });
});

describe("Prometheus discovery against services registered in Consul", () => {
  let agent: ConsulTestAgent;
  const replicas: RunningService[] = [];

  beforeAll(async () => {
    agent = await startConsulTestAgent();
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await agent?.stop();
  });

  it("when a replica registers and then a second one, then each becomes a target whose address serves its /metrics, with no config change", async () => {
    replicas.push(await startFulfillment({ CONSUL_HTTP_ADDR: agent.url }));
    const first = await scrapeTargets(agent.url);
    expect(first.map((t) => t.__address__)).toEqual([new URL(replicas[0]?.httpUrl ?? "").host]);

    replicas.push(await startFulfillment({ CONSUL_HTTP_ADDR: agent.url }));
    const targets = await scrapeTargets(agent.url);
    expect(targets.map((t) => t.__address__).sort()).toEqual(
      replicas.map((r) => new URL(r.httpUrl).host).sort(),
    );
    expect(new Set(targets.map((t) => t.instance)).size).toBe(2);

    for (const target of targets) {
      const response = await fetch(
        `http://${target.__address__}${String(orderly?.metrics_path ?? "/metrics")}`,
      );
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('orderly_build_info{version="');
      expect(target.consul_service).toBe("fulfillment");
    }
  }, 120_000);
});
