import { afterEach, describe, expect, it } from "vitest";
import { codeName } from "../errors/index.ts";
import { AdmissionLimit } from "../load/admission-limit.ts";
import { feedsLimit } from "../load/feeds-limit.ts";
import { GradientLimit } from "../load/gradient-limit.ts";
import { defineRoute } from "./define-route.ts";
import { type TestServer, testServer } from "./http.test-support.ts";
import { codeOfAnswer } from "./in-flight-limit.ts";
import { parsePrometheusText } from "./prometheus-text.test-support.ts";

let server: TestServer;
afterEach(async () => {
  for (const release of held.splice(0)) release();
  await server.app.close();
});

const held: (() => void)[] = [];
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * The kit's HTTP server with an adaptive admission limit on a fake clock (windows of 4 samples,
 * no minimum span) and a /v1/slow route that answers when the test lets it.
 */
async function admittingServer() {
  let now = 0;
  const admission = new AdmissionLimit(
    new GradientLimit({ minLimit: 2, maxLimit: 100, minWindowSamples: 4, minWindowMs: 0 }),
    () => now,
  );
  server = testServer({
    loadShedding: { maxEventLoopDelayMs: 0, retryAfterSeconds: 2, admission: { http: admission } },
  });
  server.app.route(
    defineRoute({
      method: "GET",
      url: "/v1/slow",
      operationId: "slow",
      public: true,
      schema: { response: { 200: { type: "string" } } },
      handler: () => new Promise<string>((resolve) => held.push(() => resolve("done"))),
    }),
  );
  await server.app.ready();
  /** `count` requests held in flight together, answered after `ms` on the fake clock. */
  const batch = async (count: number, ms: number) => {
    const answers = Array.from({ length: count }, () => server.app.inject({ url: "/v1/slow" }));
    await until(() => held.length === count);
    now += ms;
    for (const release of held.splice(0)) release();
    return Promise.all(answers);
  };
  const metric = async (name: string, labels: Record<string, string>) => {
    const text = (await server.app.inject({ url: "/metrics" })).body;
    const family = parsePrometheusText(text).get(name);
    return family?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  };
  return { admission, batch, metric };
}

describe("admission limit on HTTP", () => {
  it("when latency climbs under load, then the adaptive limit comes down and the overflow gets 503 OVERLOADED with Retry-After, while probes and scrapes still answer", async () => {
    const { admission, batch, metric } = await admittingServer();
    await batch(4, 10);
    // Two windows (of 4 samples) at 10x the baseline with 8 in flight: a queue, so the limit
    // drops to 8 x 0.5.
    await batch(8, 100);
    expect(admission.limit).toBe(4);

    const admitted = Array.from({ length: 4 }, () => server.app.inject({ url: "/v1/slow" }));
    await until(() => held.length === 4);
    const shed = await server.app.inject({ url: "/v1/slow" });
    const probes = await Promise.all(
      ["/health/live", "/health/ready", "/health", "/metrics"].map((url) => server.app.inject({ url })),
    );
    const limitGauge = await metric("orderly_admission_limit", { transport: "http" });
    const shedCount = await metric("orderly_requests_shed_total", { transport: "http", cause: "in_flight" });
    for (const release of held.splice(0)) release();

    expect(shed.statusCode).toBe(503);
    expect(shed.headers["retry-after"]).toBe("2");
    expect(shed.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(shed.json()).toMatchObject({ status: 503, code: "UNAVAILABLE", reason: "OVERLOADED" });
    expect(probes.map((p) => p.statusCode)).toEqual([200, 200, 200, 200]);
    expect(limitGauge).toBe(4);
    expect(shedCount).toBe(1);
    expect((await Promise.all(admitted)).map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    await until(() => admission.inFlight === 0);
  });
});

describe("which HTTP answers feed the admission limit", () => {
  it.each([
    [200, "OK", true],
    [204, "OK", true],
    [304, "OK", true],
    [400, "INVALID_ARGUMENT", false],
    [401, "UNAUTHENTICATED", false],
    [403, "PERMISSION_DENIED", false],
    [404, "NOT_FOUND", false],
    [405, "INVALID_ARGUMENT", false],
    [409, "ALREADY_EXISTS", false],
    [413, "INVALID_ARGUMENT", false],
    [422, "FAILED_PRECONDITION", false],
    [429, "RESOURCE_EXHAUSTED", false],
    [499, "CANCELLED", false],
    [500, "UNKNOWN", true],
    // Not implemented does no work: as on gRPC, its latency says nothing of the load.
    [501, "UNIMPLEMENTED", false],
    [502, "UNKNOWN", true],
    [503, "UNAVAILABLE", true],
    [504, "DEADLINE_EXCEEDED", true],
  ] as const)(
    "when the answer is %i, then it stands for %s and feeds the limit: %s",
    (status, name, feeds) => {
      expect(codeName(codeOfAnswer(status))).toBe(name);
      expect(feedsLimit(codeOfAnswer(status))).toBe(feeds);
    },
  );
});
