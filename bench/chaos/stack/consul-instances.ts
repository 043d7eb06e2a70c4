import type { ConsulTestAgent } from "@orderly/testkit/consul-agent";
import type { ChaosStack } from "./chaos-stack.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The stack's Consul agent; a fault of the consul stack run on the static one is a bug of the catalogue. */
export function consulOf(stack: ChaosStack): ConsulTestAgent {
  if (!stack.consul) throw new Error("this fault needs the consul stack (fault.stack = 'consul')");
  return stack.consul;
}

/** Whether the agent lists the instance serving gRPC on `grpcPort` with its checks, all passing (self-registered: it has a TTL check). */
export function isPassing(agent: ConsulTestAgent, grpcPort: number): boolean {
  const service = agent.services().find((s) => s.port === grpcPort);
  if (!service) return false;
  const checks = agent.checks().filter((c) => c.serviceId === service.id);
  return checks.length > 0 && checks.every((c) => c.status === "passing");
}

/** Waits until every given gRPC port is registered and passing; the milliseconds it took. */
export async function waitPassing(
  agent: ConsulTestAgent,
  grpcPorts: readonly number[],
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (grpcPorts.every((p) => isPassing(agent, p))) return Math.round(performance.now() - started);
    if (performance.now() - started > timeoutMs) {
      const missing = grpcPorts.filter((p) => !isPassing(agent, p));
      throw new Error(
        `consul: instance(s) on gRPC port ${missing.join(", ")} not passing after ${timeoutMs} ms`,
      );
    }
    await sleep(200);
  }
}

/**
 * Registers an instance on its behalf, as a deploy tool or sidecar does (no check: passing until
 * deregistered): how a canary is listed at its fault proxy's address rather than its own.
 */
export async function registerInstance(
  agent: ConsulTestAgent,
  instance: { id: string; service: string; port: number; version: string },
): Promise<void> {
  const response = await fetch(`${agent.url}/v1/agent/service/register`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ID: instance.id,
      Name: instance.service,
      Address: "127.0.0.1",
      Port: instance.port,
      Meta: { version: instance.version },
    }),
  });
  if (!response.ok)
    throw new Error(`consul register ${instance.id}: ${response.status} ${await response.text()}`);
}

export async function deregisterInstance(agent: ConsulTestAgent, id: string): Promise<void> {
  const response = await fetch(`${agent.url}/v1/agent/service/deregister/${encodeURIComponent(id)}`, {
    method: "PUT",
  });
  if (!response.ok) throw new Error(`consul deregister ${id}: ${response.status} ${await response.text()}`);
}
