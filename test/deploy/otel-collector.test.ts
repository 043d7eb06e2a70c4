/**
 * deploy/compose/otel-collector/config.yaml, checked without a collector binary: every pipeline
 * references components the file defines, and the OTLP receiver is where compose points the
 * services, the exporter where Jaeger is.
 */
import { describe, expect, it } from "vitest";
import { asArray, asRecord, dig, readYaml, SERVICES } from "./support/repo.ts";

const CONFIG = "deploy/compose/otel-collector/config.yaml";
const config = asRecord(readYaml(CONFIG), CONFIG);
const compose = asRecord(readYaml("docker-compose.yml"), "docker-compose.yml");
const composeServices = asRecord(compose.services, "services");
const pipelines = asRecord(dig(config, "service", "pipelines"), "service.pipelines");
const SECTIONS = ["receivers", "processors", "exporters"] as const;

/** "otlp/jaeger" is an instance of the "otlp" component type. */
const componentType = (id: string) => id.split("/")[0];

describe("the OpenTelemetry Collector configuration", () => {
  it("when the collector loads it, then every pipeline references receivers, processors and exporters the file defines, and each defined one is used", () => {
    const problems: string[] = [];
    for (const section of SECTIONS) {
      const defined = Object.keys(asRecord(config[section] ?? {}, section));
      const used = new Set<string>();
      for (const [name, pipeline] of Object.entries(pipelines)) {
        for (const id of asArray(dig(pipeline, section) ?? [], `${name}.${section}`).map(String)) {
          used.add(id);
          if (!defined.includes(id)) problems.push(`pipeline ${name} uses undefined ${section} ${id}`);
        }
        if (section !== "processors" && asArray(dig(pipeline, section) ?? [], section).length === 0) {
          problems.push(`pipeline ${name} has no ${section}`);
        }
      }
      for (const id of defined) if (!used.has(id)) problems.push(`${section} ${id} is defined but unused`);
    }
    const extensions = Object.keys(asRecord(config.extensions ?? {}, "extensions"));
    for (const id of asArray(dig(config, "service", "extensions") ?? [], "service.extensions").map(String)) {
      if (!extensions.includes(id)) problems.push(`service uses undefined extension ${id}`);
    }
    expect(problems).toEqual([]);
  });

  it("when a service exports spans with compose's OTEL_* settings, then the collector's traces pipeline receives them over OTLP/HTTP on that host and port", () => {
    for (const service of SERVICES) {
      const env = asRecord(dig(composeServices, service, "environment"), `${service}.environment`);
      expect(env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf").toBe("http/protobuf");
      const endpoint = new URL(String(env.OTEL_EXPORTER_OTLP_ENDPOINT));
      expect(composeServices).toHaveProperty(endpoint.hostname);
      const receiverIds = asArray(dig(pipelines, "traces", "receivers"), "traces.receivers").map(String);
      const http = receiverIds
        .filter((id) => componentType(id) === "otlp")
        .map((id) => String(dig(config, "receivers", id, "protocols", "http", "endpoint")));
      // Bound on all interfaces: the collector's own default (localhost) is unreachable from other containers.
      expect(http).toContain(`0.0.0.0:${endpoint.port}`);
    }
  });

  it("when spans leave the collector, then they go to compose's Jaeger over OTLP/gRPC", () => {
    const exporters = asArray(dig(pipelines, "traces", "exporters"), "traces.exporters").map(String);
    const toJaeger = exporters.filter((id) => componentType(id) === "otlp");
    expect(toJaeger.length).toBe(1);
    const [host, port] = String(dig(config, "exporters", toJaeger[0] ?? "", "endpoint")).split(":");
    expect(host).toBe("jaeger");
    expect(composeServices).toHaveProperty("jaeger");
    // Jaeger v2 receives OTLP/gRPC on 4317 by default.
    expect(port).toBe("4317");
  });

  it("when compose starts the collector, then it loads this file", () => {
    const collector = asRecord(composeServices["otel-collector"], "otel-collector");
    const configArg = asArray(collector.command, "otel-collector.command")
      .map(String)
      .find((arg) => arg.startsWith("--config="));
    const path = configArg?.slice("--config=".length);
    expect(asArray(collector.volumes, "otel-collector.volumes")).toContain(`./${CONFIG}:${path}:ro`);
  });
});
