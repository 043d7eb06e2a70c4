/**
 * docker-compose.yml, checked without a Docker engine: it parses, every service can report its
 * health, every bind-mounted file exists, the published ports are the documented ones (so the other
 * services can be scaled), and each service's environment is accepted by that service's own config.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDockerfile } from "./support/dockerfile.ts";
import { asArray, asRecord, dig, readRepoFile, readYaml, repoPath, SERVICES } from "./support/repo.ts";
import { durationMs, loadServiceConfig } from "./support/service-config.ts";

const compose = asRecord(readYaml("docker-compose.yml"), "docker-compose.yml");
const services = asRecord(compose.services, "services");
const DOCKERFILE = "deploy/docker/Dockerfile";
const INFRASTRUCTURE = [
  "certs",
  "consul",
  "postgres",
  "nats",
  "redis",
  "otel-collector",
  "jaeger",
  "prometheus",
  "grafana",
];
/** Host ports the stack publishes; nothing else is published. */
const PUBLISHED: Record<string, number[]> = {
  order: [8080, 50051],
  consul: [8500],
  grafana: [3000],
  jaeger: [16686],
  prometheus: [9090],
};

const service = (name: string) => asRecord(services[name], `services.${name}`);
const environment = (name: string) => asRecord(service(name).environment ?? {}, `${name}.environment`);

/**
 * What the one-shot `certs` job writes into the `certs` volume, written here by the same script
 * (deploy/compose/certs/issue-dev-certs.ts) into a temporary folder standing in for the volume.
 */
const certsVolume = mkdtempSync(join(tmpdir(), "orderly-compose-certs-"));
execFileSync(process.execPath, [
  repoPath("deploy/compose/certs/issue-dev-certs.ts"),
  certsVolume,
  `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
]);
/** A service's compose environment, with the certs volume's mount point (/certs) at the stand-in. */
const serviceEnv = (name: string) =>
  Object.fromEntries(
    Object.entries(environment(name)).map(([k, v]) => [
      k,
      String(v).replace(/^\/certs\//, `${certsVolume}/`),
    ]),
  );
const imageHasHealthcheck = parseDockerfile(readRepoFile(DOCKERFILE))
  .stages.at(-1)
  ?.instructions.some((i) => i.keyword === "HEALTHCHECK");

/** Host side of each `ports` entry ("8080:8080", "127.0.0.1:3000:3000", { published: 8080 }). */
function publishedPorts(definition: Record<string, unknown>): number[] {
  return asArray(definition.ports ?? [], "ports").map((entry) => {
    if (typeof entry === "object" && entry !== null) return Number(dig(entry, "published"));
    const parts = String(entry).split(":");
    return parts.length >= 2 ? Number(parts.at(-2)) : Number.NaN;
  });
}

describe("docker-compose.yml", () => {
  afterAll(() => rmSync(certsVolume, { recursive: true, force: true }));

  it.each(SERVICES)(
    "when %s starts, then it waits for the certs job and serves mTLS with its own certificate from the read-only volume",
    async (name) => {
      const definition = service(name);
      expect(dig(definition, "depends_on", "certs", "condition")).toBe("service_completed_successfully");
      expect(asArray(definition.volumes, `${name}.volumes`)).toContain("certs:/certs:ro");
      const env = environment(name);
      expect([env.GRPC_TLS_CA, env.GRPC_TLS_CERT, env.GRPC_TLS_KEY]).toEqual([
        "/certs/ca.pem",
        `/certs/${name}.pem`,
        `/certs/${name}-key.pem`,
      ]);
      const config = (await loadServiceConfig(name, serviceEnv(name))) as { grpcTls?: { cert: string } };
      expect(new X509Certificate(config.grpcTls?.cert ?? "").subject).toBe(`CN=${name}`);
    },
  );

  it("when the certs job runs, then it writes the operator's certificate too and the volume is writable only there", () => {
    expect(existsSync(join(certsVolume, "operator.pem"))).toBe(true);
    expect(existsSync(join(certsVolume, "operator-key.pem"))).toBe(true);
    expect(asArray(service("certs").volumes, "certs.volumes")).toContain("certs:/certs");
    expect(dig(service("certs"), "restart")).toBe("no");
  });
  it("when compose reads it, then it defines the infrastructure and the four services", () => {
    expect(Object.keys(services).sort()).toEqual([...INFRASTRUCTURE, ...SERVICES].sort());
  });

  it("when the stack runs, then order and fulfillment exchange events through a JetStream broker that keeps them on a volume", () => {
    const nats = service("nats");
    expect(asArray(nats.command, "nats.command")).toEqual(expect.arrayContaining(["-js", "-sd", "/data"]));
    expect(asArray(nats.volumes, "nats.volumes")).toContain("nats-data:/data");
    for (const name of ["order", "fulfillment"]) {
      expect(dig(service(name), "environment", "EVENT_BUS_URL")).toBe("nats://nats:4222");
      expect(dig(service(name), "depends_on", "nats", "condition")).toBe("service_healthy");
    }
  });

  it("when replicas run, then every service counts rate limits in the one Redis, started before them", () => {
    for (const name of SERVICES) {
      expect(dig(service(name), "environment", "REDIS_URL")).toBe("redis://redis:6379");
      expect(dig(service(name), "depends_on", "redis", "condition")).toBe("service_healthy");
    }
  });

  it.each(Object.keys(services))("when %s runs, then Docker can tell whether it is healthy", (name) => {
    const definition = service(name);
    const healthcheck = definition.healthcheck as Record<string, unknown> | undefined;
    expect(healthcheck?.disable).not.toBe(true);
    if (dig(definition, "build", "dockerfile") === DOCKERFILE && healthcheck?.test === undefined) {
      // The test is inherited from the image.
      expect(imageHasHealthcheck).toBe(true);
    } else if (healthcheck?.test === undefined) {
      // Only an image with nothing to probe with may go without, and it must say so.
      expect(String(definition["x-healthcheck-omitted"] ?? ""), `${name} has no healthcheck`).not.toBe("");
    } else {
      expect(asArray(healthcheck.test, `${name}.healthcheck.test`)[0]).toMatch(/^CMD(-SHELL)?$/);
    }
  });

  it("when a service waits for a dependency to be healthy, then that dependency has a healthcheck", () => {
    const problems: string[] = [];
    for (const [name, definition] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(
        asRecord(dig(definition, "depends_on") ?? {}, name),
      )) {
        if (dig(condition, "condition") !== "service_healthy") continue;
        const target = service(dependency);
        const inherits = dig(target, "build", "dockerfile") === DOCKERFILE && imageHasHealthcheck;
        if (dig(target, "healthcheck", "test") === undefined && !inherits) {
          problems.push(`${name} waits for ${dependency} to be healthy, which has no healthcheck`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("when compose mounts configuration from the repository, then every mounted file or folder exists", () => {
    const named = Object.keys(asRecord(compose.volumes ?? {}, "volumes"));
    const problems: string[] = [];
    for (const [name, definition] of Object.entries(services)) {
      for (const volume of asArray(dig(definition, "volumes") ?? [], `${name}.volumes`)) {
        const source = typeof volume === "string" ? volume.split(":")[0] : dig(volume, "source");
        if (typeof source !== "string") continue;
        if (source.startsWith(".") || source.startsWith("/")) {
          if (!existsSync(repoPath(source))) problems.push(`${name} mounts ${source}, which does not exist`);
        } else if (!named.includes(source)) {
          problems.push(`${name} uses volume ${source}, which is not declared`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("when the stack is up, then only the documented ports are published and nothing pins a container name, so services scale", () => {
    const published = Object.fromEntries(
      Object.entries(services)
        .map(([name, definition]) => [name, publishedPorts(asRecord(definition, name))] as const)
        .filter(([, ports]) => ports.length > 0),
    );
    expect(published).toEqual(PUBLISHED);
    expect(Object.entries(services).filter(([, d]) => dig(d, "container_name") !== undefined)).toEqual([]);
  });

  it.each(SERVICES)(
    "when %s is built, then it comes from the one Dockerfile with SERVICE set to its name",
    (name) => {
      const build = asRecord(service(name).build, `${name}.build`);
      expect(build.context).toBe(".");
      expect(build.dockerfile).toBe(DOCKERFILE);
      expect(dig(build, "args", "SERVICE")).toBe(name);
    },
  );

  it.each(SERVICES)("when %s starts, then it waits for a healthy Consul and PostgreSQL", (name) => {
    const dependsOn = asRecord(service(name).depends_on, `${name}.depends_on`);
    expect(dig(dependsOn, "consul", "condition")).toBe("service_healthy");
    expect(dig(dependsOn, "postgres", "condition")).toBe("service_healthy");
  });

  it.each(SERVICES)(
    "when %s reads compose's environment, then its own config accepts it: Consul on, peers found through Consul, advertised by hostname",
    async (name) => {
      const env = serviceEnv(name);
      const config = await loadServiceConfig(name, env);
      expect(config.consul?.address).toBe("http://consul:8500");
      expect(Object.keys(env).filter((key) => key.endsWith("_GRPC_ADDR"))).toEqual([]);
      // SERVICE_ADDRESS defaults to the container hostname, which Docker's DNS resolves for each replica.
      expect(env.SERVICE_ADDRESS).toBeUndefined();
    },
  );

  it.each(SERVICES)(
    "when %s connects to PostgreSQL, then it uses its own database and role, which the init script creates",
    (name) => {
      const url = new URL(String(environment(name).DATABASE_URL));
      expect(url.protocol).toBe("postgres:");
      expect(url.hostname).toBe("postgres");
      expect(url.username).toBe(name);
      expect(url.pathname).toBe(`/${name}`);
      const postgres = environment("postgres");
      expect(String(postgres.ORDERLY_DATABASES).split(/\s+/)).toContain(name);
      expect(decodeURIComponent(url.password)).toBe(String(postgres.ORDERLY_DATABASE_PASSWORD));
    },
  );

  it("when order is published, then the host ports lead to the ports order listens on", async () => {
    // The ports order parses from its own compose environment (Consul discovery, keys, certificates).
    const config = await loadServiceConfig("order", serviceEnv("order"));
    const targets = asArray(service("order").ports, "order.ports").map((entry) =>
      Number(String(entry).split(":").at(-1)),
    );
    expect(targets.sort()).toEqual([config.http.port, config.grpc.port].sort());
  });

  it.each(SERVICES)(
    "when compose stops %s, then the grace period covers its propagation delay and drain timeout",
    async (name) => {
      const { shutdown } = await loadServiceConfig(name, serviceEnv(name));
      const grace = durationMs(String(service(name).stop_grace_period ?? "10s"));
      expect(grace).toBeGreaterThanOrEqual(shutdown.propagationDelayMs + shutdown.drainTimeoutMs + 2000);
    },
  );
});
