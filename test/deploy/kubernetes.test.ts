/**
 * deploy/k8s: the kustomize base and the local overlay. When kubectl is installed, the overlay is
 * built with `kubectl kustomize` and the checks run on its output (what `kubectl apply -k` would
 * send). Without kubectl the build itself is skipped (reported as skipped, not passed) and the same
 * checks run on the base and overlay files as written, which every patch here leaves intact.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  asArray,
  asRecord,
  dig,
  readRepoFile,
  readYamlDocuments,
  repoPath,
  SERVICES,
} from "./support/repo.ts";
import { loadServiceConfig } from "./support/service-config.ts";
import { parseYamlDocuments } from "./support/yaml.ts";

const K8S = "deploy/k8s";
const OVERLAY = `${K8S}/overlays/local`;
type K8sObject = Record<string, unknown> & { kind: string; metadata: { name: string } };

const kubectl = (() => {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function yamlFilesUnder(folder: string): string[] {
  return readdirSync(repoPath(folder)).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(repoPath(path)).isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function kustomizations(): string[] {
  return yamlFilesUnder(K8S).filter((file) => /(^|\/)kustomization\.ya?ml$/.test(file));
}

function toObjects(documents: unknown[], what: string): K8sObject[] {
  return documents.map((document) => {
    const object = asRecord(document, what);
    if (typeof object.kind !== "string" || typeof dig(object, "metadata", "name") !== "string") {
      throw new Error(`${what}: a document without kind and metadata.name`);
    }
    return object as K8sObject;
  });
}

let cached: { objects: K8sObject[]; rendered: boolean } | undefined;

/** The overlay as `kubectl kustomize` renders it, or its files as written when kubectl is missing. */
function localObjects(): { objects: K8sObject[]; rendered: boolean } {
  cached ??= renderLocal();
  return cached;
}

function renderLocal(): { objects: K8sObject[]; rendered: boolean } {
  if (kubectl) {
    const output = execFileSync("kubectl", ["kustomize", repoPath(OVERLAY)], { encoding: "utf8" });
    return {
      objects: toObjects(parseYamlDocuments(output, "kubectl kustomize output"), "rendered"),
      rendered: true,
    };
  }
  const files = yamlFilesUnder(K8S).filter(
    (file) => !/kustomization\.ya?ml$/.test(file) && !file.includes("/patches/"),
  );
  return { objects: files.flatMap((file) => toObjects(readYamlDocuments(file), file)), rendered: false };
}

describe("the kustomize tree", () => {
  it("when kustomize loads it, then every YAML file parses", () => {
    for (const file of yamlFilesUnder(K8S)) expect(() => readYamlDocuments(file), file).not.toThrow();
  });

  it("when kustomize resolves each kustomization, then every resource, patch and generator file it names exists", () => {
    const missing: string[] = [];
    for (const file of kustomizations()) {
      const folder = file.replace(/\/[^/]+$/, "");
      const kustomization = asRecord(readYamlDocuments(file)[0], file);
      const generators = [
        ...asArray(kustomization.configMapGenerator ?? [], "configMapGenerator"),
        ...asArray(kustomization.secretGenerator ?? [], "secretGenerator"),
      ];
      const referenced = [
        ...asArray(kustomization.resources ?? [], "resources").map(String),
        ...asArray(kustomization.patches ?? [], "patches").flatMap((patch) => {
          const path = dig(patch, "path");
          return typeof path === "string" ? [path] : [];
        }),
        ...generators.flatMap((generator) => [
          ...asArray(dig(generator, "files") ?? [], "files").map((f) => String(f).replace(/^[^=]+=/, "")),
          ...asArray(dig(generator, "envs") ?? [], "envs").map(String),
        ]),
      ];
      for (const reference of referenced) {
        const path = repoPath(folder, reference);
        const isKustomizationDir =
          existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, "kustomization.yaml"));
        if (!isKustomizationDir && !(existsSync(path) && statSync(path).isFile())) {
          missing.push(`${file}: ${reference}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("when the local overlay runs Consul, then Kubernetes probes its readiness and liveness over its HTTP API", () => {
    const consul = toObjects(readYamlDocuments(`${OVERLAY}/consul.yaml`), "consul.yaml").find(
      (object) => object.kind === "Deployment",
    );
    const container = dig(consul, "spec", "template", "spec", "containers", 0);

    expect(dig(container, "readinessProbe", "httpGet")).toEqual({ path: "/v1/status/leader", port: "http" });
    expect(dig(container, "livenessProbe", "httpGet")).toEqual({ path: "/v1/agent/self", port: "http" });
  });

  it("when a service pod runs, then its user is the image's numeric non-root USER", () => {
    const user = /^USER\s+(\d+):(\d+)$/m.exec(readRepoFile("deploy/docker/Dockerfile"));
    for (const service of ["order", "inventory", "invoice", "fulfillment"]) {
      const deployment = toObjects(readYamlDocuments(`${K8S}/base/${service}.yaml`), service).find(
        (object) => object.kind === "Deployment",
      );
      const context = dig(deployment, "spec", "template", "spec", "securityContext");
      expect(context, service).toMatchObject({
        runAsNonRoot: true,
        runAsUser: Number(user?.[1]),
        runAsGroup: Number(user?.[2]),
      });
    }
  });

  it("when the local overlay creates the databases, then it runs the same init script as docker compose", () => {
    expect(readRepoFile(`${OVERLAY}/postgres/init-databases.sh`)).toBe(
      readRepoFile("deploy/compose/postgres/init-databases.sh"),
    );
  });

  it.skipIf(!kubectl)("when `kubectl kustomize deploy/k8s/overlays/local` runs, then it builds", () => {
    const { objects } = localObjects();
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of [
      "Deployment",
      "Service",
      "ConfigMap",
      "Secret",
      "HorizontalPodAutoscaler",
      "PodDisruptionBudget",
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(
      objects.every((o) => o.kind === "Namespace" || dig(o, "metadata", "namespace") === "orderly"),
    ).toBe(true);
  });
});

describe.each(SERVICES)("the %s workload in the local overlay", (service) => {
  const { objects, rendered } = localObjects();
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const deployment = asRecord(find("Deployment", service), `Deployment ${service}`);
  const pod = asRecord(dig(deployment, "spec", "template", "spec"), "pod spec");
  const container = asRecord(asArray(pod.containers, "containers")[0], "container");
  const portOf = (name: string) =>
    Number(
      dig(
        asArray(container.ports, "ports").find((p) => dig(p, "name") === name),
        "containerPort",
      ),
    );
  const configMapName = String(dig(asArray(container.envFrom, "envFrom")[0], "configMapRef", "name"));
  const configEnv = (): Record<string, string> => {
    const configMap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === configMapName);
    if (configMap) return asRecord(configMap.data, "data") as Record<string, string>;
    // Unrendered: the generator's env file.
    return Object.fromEntries(
      readRepoFile(`${K8S}/base/${service}.env`)
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.startsWith("#"))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
  };
  const secretRef = (variable: string) =>
    dig(
      asArray(container.env, "env").find((e) => dig(e, "name") === variable),
      "valueFrom",
      "secretKeyRef",
    );

  it("when Kubernetes probes it, then liveness asks /health/live and readiness /health/ready on the port the service listens on", async () => {
    expect(dig(container, "livenessProbe", "httpGet", "path")).toBe("/health/live");
    expect(dig(container, "readinessProbe", "httpGet", "path")).toBe("/health/ready");
    expect(dig(container, "livenessProbe", "httpGet", "port")).toBe("http");
    expect(dig(container, "readinessProbe", "httpGet", "port")).toBe("http");
    const config = await loadServiceConfig(service, {
      ...configEnv(),
      DATABASE_URL: "postgres://u:p@h:5432/d",
    });
    expect(portOf("http")).toBe(config.http.port);
    expect(portOf("grpc")).toBe(config.grpc.port);
  });

  it("when a pod is stopped, then the grace period covers the preStop sleep, the propagation delay and the drain", async () => {
    const preStop = Number(dig(container, "lifecycle", "preStop", "sleep", "seconds"));
    expect(preStop).toBeGreaterThan(0);
    const { shutdown } = await loadServiceConfig(service, {
      ...configEnv(),
      DATABASE_URL: "postgres://u:p@h:5432/d",
    });
    const needed = preStop + (shutdown.propagationDelayMs + shutdown.drainTimeoutMs) / 1000 + 2;
    expect(Number(pod.terminationGracePeriodSeconds)).toBeGreaterThanOrEqual(needed);
  });

  it("when it is scheduled, then it has resource requests and limits", () => {
    expect(dig(container, "resources", "requests", "cpu")).toBeDefined();
    expect(dig(container, "resources", "requests", "memory")).toBeDefined();
    expect(dig(container, "resources", "limits", "memory")).toBeDefined();
  });

  it("when it runs, then it is non-root on a read-only root file system with no privilege escalation and no capabilities, and /tmp is writable", () => {
    const nonRoot =
      dig(container, "securityContext", "runAsNonRoot") ?? dig(pod, "securityContext", "runAsNonRoot");
    expect(nonRoot).toBe(true);
    expect(dig(container, "securityContext", "readOnlyRootFilesystem")).toBe(true);
    expect(dig(container, "securityContext", "allowPrivilegeEscalation")).toBe(false);
    expect(dig(container, "securityContext", "capabilities", "drop")).toEqual(["ALL"]);
    const tmp = asArray(container.volumeMounts, "volumeMounts").find((m) => dig(m, "mountPath") === "/tmp");
    const volume = asArray(pod.volumes, "volumes").find((v) => dig(v, "name") === dig(tmp, "name"));
    expect(dig(volume, "emptyDir")).toBeDefined();
  });

  it("when it registers in Consul, then it advertises its pod IP (pod hostnames do not resolve)", () => {
    const address = asArray(container.env, "env").find((e) => dig(e, "name") === "SERVICE_ADDRESS");
    expect(dig(address, "valueFrom", "fieldRef", "fieldPath")).toBe("status.podIP");
    expect(configEnv().CONSUL_HTTP_ADDR).toMatch(/^http:\/\/consul:8500$/);
    expect(find("Service", "consul")).toBeDefined();
  });

  it("when it is exposed, then its Service has the http and grpc ports and selects its pods", () => {
    const svc = asRecord(find("Service", service), `Service ${service}`);
    const ports = asArray(dig(svc, "spec", "ports"), "ports");
    expect(ports.map((p) => dig(p, "name")).sort()).toEqual(["grpc", "http"]);
    for (const port of ports) expect(portOf(String(dig(port, "targetPort")))).toBe(Number(dig(port, "port")));
    const labels = asRecord(dig(deployment, "spec", "template", "metadata", "labels"), "pod labels");
    expect(labels).toMatchObject(asRecord(dig(svc, "spec", "selector"), "selector"));
  });

  it("when load or disruptions come, then an autoscaling/v2 HPA scales the Deployment and a PodDisruptionBudget guards its pods", () => {
    const hpa = asRecord(find("HorizontalPodAutoscaler", service), `HPA ${service}`);
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(dig(hpa, "spec", "scaleTargetRef")).toMatchObject({ kind: "Deployment", name: service });
    expect(Number(dig(hpa, "spec", "minReplicas"))).toBeGreaterThanOrEqual(1);
    const pdb = asRecord(find("PodDisruptionBudget", service), `PDB ${service}`);
    expect(pdb.apiVersion).toBe("policy/v1");
    const labels = asRecord(dig(deployment, "spec", "template", "metadata", "labels"), "pod labels");
    expect(labels).toMatchObject(asRecord(dig(pdb, "spec", "selector", "matchLabels"), "matchLabels"));
  });

  it.skipIf(!rendered)(
    "when the overlay is applied, then the image is orderly/<service>:local and DATABASE_URL comes from a Secret it creates for this service's own database",
    () => {
      expect(container.image).toBe(`orderly/${service}:local`);
      const ref = asRecord(secretRef("DATABASE_URL"), "DATABASE_URL secretKeyRef");
      const secret = asRecord(find("Secret", String(ref.name)), `Secret ${String(ref.name)}`);
      const url = new URL(
        Buffer.from(String(dig(secret, "data", String(ref.key))), "base64").toString("utf8"),
      );
      expect(url.username).toBe(service);
      expect(url.pathname).toBe(`/${service}`);
      expect(find("Service", url.hostname)).toBeDefined();
      const postgres = asRecord(find("StatefulSet", url.hostname), "StatefulSet postgres");
      const databases = asArray(
        dig(postgres, "spec", "template", "spec", "containers", 0, "env"),
        "postgres env",
      ).find((e) => dig(e, "name") === "ORDERLY_DATABASES");
      expect(String(dig(databases, "value")).split(/\s+/)).toContain(service);
    },
  );
});

describe("the event bus (NATS with JetStream) in the base", () => {
  const { objects } = localObjects();
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name);
  const nats = asRecord(find("StatefulSet", "nats"), "StatefulSet nats");
  const container = asRecord(dig(nats, "spec", "template", "spec", "containers", 0), "nats container");
  const portOf = (name: string) =>
    Number(
      dig(
        asArray(container.ports, "ports").find((p) => dig(p, "name") === name),
        "containerPort",
      ),
    );
  const envOf = (service: string): Record<string, string> =>
    Object.fromEntries(
      readRepoFile(`${K8S}/base/${service}.env`)
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.startsWith("#"))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );

  it("when it runs, then JetStream stores on a PersistentVolumeClaim of its own", () => {
    const args = asArray(container.args, "nats args").map(String);
    expect(args).toContain("-js");
    const storeDir = args[args.indexOf("-sd") + 1];
    const mount = asArray(container.volumeMounts, "volumeMounts").find(
      (m) => dig(m, "mountPath") === storeDir,
    );
    const claim = asArray(dig(nats, "spec", "volumeClaimTemplates"), "volumeClaimTemplates").find(
      (c) => dig(c, "metadata", "name") === dig(mount, "name"),
    );
    expect(dig(claim, "spec", "accessModes")).toEqual(["ReadWriteOnce"]);
    expect(dig(claim, "spec", "resources", "requests", "storage")).toBeDefined();
  });

  it("when Kubernetes probes it, then liveness and readiness ask /healthz?js-enabled-only=true on the monitoring port 8222", () => {
    const args = asArray(container.args, "nats args").map(String);
    expect(args[args.indexOf("-m") + 1]).toBe("8222");
    expect(portOf("monitor")).toBe(8222);
    for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
      expect(dig(container, probe, "httpGet"), probe).toEqual({
        path: "/healthz?js-enabled-only=true",
        port: "monitor",
      });
    }
  });

  it("when a service connects, then EVENT_BUS_URL names the nats Service on its client port, which selects the NATS pod", () => {
    const svc = asRecord(find("Service", "nats"), "Service nats");
    const labels = asRecord(dig(nats, "spec", "template", "metadata", "labels"), "pod labels");
    expect(labels).toMatchObject(asRecord(dig(svc, "spec", "selector"), "selector"));
    for (const service of ["order", "invoice", "fulfillment"]) {
      const url = new URL(envOf(service).EVENT_BUS_URL ?? "");
      expect(url.protocol, service).toBe("nats:");
      expect(url.hostname, service).toBe("nats");
      const port = asArray(dig(svc, "spec", "ports"), "ports").find(
        (p) => Number(dig(p, "port")) === Number(url.port),
      );
      expect(portOf(String(dig(port, "targetPort"))), service).toBe(4222);
    }
  });

  it("when it runs, then it is non-root on a read-only root file system with no privilege escalation", () => {
    expect(dig(nats, "spec", "template", "spec", "securityContext", "runAsNonRoot")).toBe(true);
    expect(dig(container, "securityContext", "readOnlyRootFilesystem")).toBe(true);
    expect(dig(container, "securityContext", "allowPrivilegeEscalation")).toBe(false);
    expect(dig(container, "resources", "limits", "memory")).toBeDefined();
  });
});
