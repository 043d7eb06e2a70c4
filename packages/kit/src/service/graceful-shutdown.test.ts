// The lifecycle contract end to end, on a real child process started as production starts a service
// (`node --import @orderly/kit/tracing/register <entry>`), with a Consul test agent.
import {
  Health as HealthService,
  HealthCheckResponse_ServingStatus as Status,
} from "@orderly/contracts/grpc-health";
import { InventoryService } from "@orderly/contracts/inventory";
import { describe, expect, it, onTestFinished } from "vitest";
import { startConsulTestAgent } from "../../../testkit/src/consul-agent/index.ts";
import { type LogLine, runFixture, untilServing } from "./testing/child-service.test-support.ts";
import { SLOW_ROUTE } from "./testing/fixture-app.ts";
import { pollUntil, testClient } from "./testing/service-test-kit.test-support.ts";

const BASE_ENV = {
  HTTP_HOST: "127.0.0.1",
  HTTP_PORT: "0",
  GRPC_HOST: "127.0.0.1",
  GRPC_PORT: "0",
  SERVICE_ADDRESS: "127.0.0.1",
  LOG_LEVEL: "info",
  // No certificates here: the fixture's internal methods would refuse every caller.
  AUTH_DISABLED: "true",
};

const isMsg = (msg: string) => (line: LogLine) => line.msg === msg;
const count = (lines: readonly LogLine[], predicate: (line: LogLine) => boolean) =>
  lines.filter(predicate).length;

async function slowHttp(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

describe("graceful shutdown of a kit service process", () => {
  it("when SIGTERM arrives with slow requests in flight, then readiness, gRPC health and Consul flip first, every request completes, the instance deregisters and the exit code is 0", async () => {
    const agent = await startConsulTestAgent();
    onTestFinished(() => agent.stop());
    const instanceId = "inventory-shutdown-test";
    const fixture = runFixture(
      {
        ...BASE_ENV,
        INSTANCE_ID: instanceId,
        CONSUL_HTTP_ADDR: agent.address,
        SHUTDOWN_PROPAGATION_DELAY_MS: "1000",
        // Each slow request is held until the listeners close, then takes 500 ms more.
        FIXTURE_HOLD_UNTIL_DRAIN: "1",
        FIXTURE_SLOW_MS: "500",
      },
      onTestFinished,
    );
    const { httpUrl, grpcTarget } = await untilServing(fixture);
    await agent.waitForEvent((e) => e.type === "register" && e.serviceId === instanceId);
    const inventory = testClient(InventoryService, grpcTarget);
    const health = testClient(HealthService, grpcTarget);
    const N = 5;
    let settled = 0;
    const track = <T>(call: Promise<T>): Promise<T> => call.finally(() => settled++);
    const httpCalls = Array.from({ length: N }, () => track(slowHttp(`${httpUrl}${SLOW_ROUTE}`)));
    const grpcCalls = Array.from({ length: N }, (_, i) => track(inventory.getItem({ sku: `MUG-${i}` })));
    await fixture.waitFor(
      (lines) => (count(lines, isMsg("slow request started")) === 2 * N ? true : undefined),
      `${2 * N} slow requests started`,
    );

    fixture.signal("SIGTERM");

    // Answered by the HTTP listener, so it is still open: 503 because the lifecycle is DRAINING.
    const ready = await pollUntil(async () => {
      const response = await fetch(`${httpUrl}/health/ready`);
      const body = (await response.json()) as { state?: string };
      return body.state === "DRAINING" ? { status: response.status, body } : undefined;
    }, "/health/ready to report DRAINING");
    // Answered by the gRPC listener, so it is still open too.
    const checked = await pollUntil(async () => {
      const { status } = await health.check({ service: "" });
      return status === Status.SERVING ? undefined : status;
    }, "gRPC health to leave SERVING");
    const critical = await agent.waitForEvent(
      (e) => e.type === "check" && e.serviceId === instanceId && e.status === "critical",
      { timeoutMs: 10_000 },
    );
    const inFlightWhileFlipped = 2 * N - settled;
    const results = await Promise.allSettled([...httpCalls, ...grpcCalls]);
    const deregistered = await agent.waitForEvent(
      (e) => e.type === "deregister" && e.serviceId === instanceId,
      { timeoutMs: 10_000 },
    );
    const exit = await fixture.exited;

    expect(ready).toMatchObject({ status: 503, body: { status: "fail", state: "DRAINING" } });
    expect(checked).toBe(Status.NOT_SERVING);
    expect(critical).toMatchObject({ previous: "passing", output: expect.stringMatching(/draining/i) });
    expect(inFlightWhileFlipped).toBe(2 * N);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(results.slice(0, N).map((r) => (r.status === "fulfilled" ? r.value : r.reason))).toEqual(
      Array.from({ length: N }, () => ({ status: 200, body: { done: true } })),
    );
    expect(results.slice(N).map((r) => (r.status === "fulfilled" ? r.value : r.reason))).toEqual(
      Array.from({ length: N }, (_, i) =>
        expect.objectContaining({ item: expect.objectContaining({ sku: `MUG-${i}` }) }),
      ),
    );
    expect(deregistered).toMatchObject({ reason: "api" });
    expect(critical.seq).toBeLessThan(deregistered.seq);
    expect(exit).toEqual({ code: 0, signal: null });
    // The process's own account, in order: Consul critical before the listeners close; every slow
    // request finishes after they started closing (the drain waited for it); stopped last.
    const lines = fixture.lines;
    const criticalAt = lines.findIndex(isMsg("consul check critical"));
    const closingAt = lines.findIndex(isMsg("inventory closing listeners"));
    const finishedAt = lines.flatMap((l, i) => (l.msg === "slow request finished" ? [i] : []));
    const stoppedAt = lines.findIndex(isMsg("inventory stopped"));
    expect(criticalAt).toBeGreaterThan(-1);
    expect(criticalAt).toBeLessThan(closingAt);
    expect(finishedAt).toHaveLength(2 * N);
    expect(Math.min(...finishedAt)).toBeGreaterThan(closingAt);
    expect(stoppedAt).toBeGreaterThan(Math.max(...finishedAt));
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "when a second signal (%s) arrives during a long drain, then the process exits non-zero without waiting for it",
    async (second) => {
      const fixture = runFixture(
        {
          ...BASE_ENV,
          SHUTDOWN_PROPAGATION_DELAY_MS: "0",
          SHUTDOWN_DRAIN_TIMEOUT_MS: "120000",
          FIXTURE_SLOW_MS: "120000",
        },
        onTestFinished,
      );
      const { httpUrl } = await untilServing(fixture);
      const stuck = fetch(`${httpUrl}${SLOW_ROUTE}`).then(
        (r) => r.status,
        () => "connection lost",
      );
      await fixture.waitForLine(isMsg("slow request started"), "the slow request");
      fixture.signal("SIGTERM");
      await fixture.waitForLine(isMsg("inventory closing listeners"), "the drain");

      fixture.signal(second);
      const exit = await fixture.exited;

      expect(exit.code).not.toBe(0);
      expect(exit.code).toBe(130);
      expect(fixture.lines).toContainEqual(
        expect.objectContaining({ msg: "second signal: forcing exit", signal: second }),
      );
      expect(fixture.lines.some(isMsg("inventory stopped"))).toBe(false);
      expect(await stuck).toBe("connection lost");
    },
  );
});

describe("invalid configuration at startup", () => {
  it("when HTTP_PORT is not a number, then the process exits 78 naming it on stderr before anything listens", async () => {
    const fixture = runFixture({ ...BASE_ENV, HTTP_PORT: "abc", LOG_LEVEL: "loud" }, onTestFinished);

    const exit = await fixture.exited;

    expect(exit).toEqual({ code: 78, signal: null });
    expect(fixture.stderr()).toContain("HTTP_PORT: expected a port number (0-65535)");
    expect(fixture.stderr()).toContain(
      "LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent",
    );
    // The kit logs every listener it opens (and the serving line with both ports): nothing was.
    expect(fixture.lines).toEqual([]);
  });
});
