import { afterEach, describe, expect, it } from "vitest";
import { type TestServer, testServer } from "./http.test-support.ts";
import { parsePrometheusText } from "./prometheus-text.test-support.ts";

const HISTOGRAM = "orderly_http_server_request_duration_seconds";

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

async function scrape(s: TestServer) {
  const res = await s.app.inject({ url: "/metrics" });
  return { res, families: parsePrometheusText(res.body) };
}

describe("GET /metrics", () => {
  it("when scraped after traffic, then the text parses strictly and the HTTP histogram is labelled by route template", async () => {
    server = testServer();
    await server.app.inject({ url: "/v1/items/SKU-1" });
    await server.app.inject({ url: "/v1/items/SKU-1" });
    await server.app.inject({ url: "/v1/items/SKU-404" });
    await server.app.inject({ method: "POST", url: "/v1/items/SKU-1/reservations", payload: {} });

    const { res, families } = await scrape(server);

    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    const histogram = families.get(HISTOGRAM);
    expect(histogram?.type).toBe("histogram");
    const counts = (histogram?.samples ?? []).filter((s) => s.name === `${HISTOGRAM}_count`);
    expect(
      counts.map((s) => [
        s.labels.http_request_method,
        s.labels.http_route,
        s.labels.http_response_status_code,
        s.value,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ["GET", "/v1/items/:sku", "200", 2],
        ["GET", "/v1/items/:sku", "404", 1],
        ["POST", "/v1/items/:sku/reservations", "400", 1],
      ]),
    );
    expect(res.body).not.toContain("SKU-1");
    expect(counts.every((s) => s.labels.service === "inventory")).toBe(true);
  });

  it("when requests hit unknown paths or undecodable URLs, then they share the route label 'unmatched'", async () => {
    server = testServer();
    await server.app.inject({ url: "/wp-admin/setup.php" });
    await server.app.inject({ url: "/.env" });
    await server.app.inject({ url: "/v1/items/%E0%A4%A" });

    const { families } = await scrape(server);

    const counts = (families.get(HISTOGRAM)?.samples ?? []).filter((s) => s.name === `${HISTOGRAM}_count`);
    const routes = new Set(counts.map((s) => s.labels.http_route));
    expect(routes).toEqual(new Set(["unmatched"]));
    expect(counts.find((s) => s.labels.http_response_status_code === "404")?.value).toBe(2);
    expect(counts.find((s) => s.labels.http_response_status_code === "400")?.value).toBe(1);
    expect(JSON.stringify([...families.keys()])).not.toContain("wp-admin");
  });

  it("when probes and scrapes were served, then none of them is counted in the request histogram", async () => {
    server = testServer();
    await scrape(server);
    for (const url of ["/health", "/health/live", "/health/ready", "/openapi.json"]) {
      expect((await server.app.inject({ url })).statusCode, url).toBe(200);
    }
    await server.app.inject({ url: "/v1/items/SKU-1" });

    const { families } = await scrape(server);

    const counts = (families.get(HISTOGRAM)?.samples ?? []).filter((s) => s.name === `${HISTOGRAM}_count`);
    expect(counts.map((s) => [s.labels.http_route, s.value])).toEqual([["/v1/items/:sku", 1]]);
  });
});

describe("the strict Prometheus text parser", () => {
  it.each([
    ["a sample before any TYPE", "foo 1\n"],
    ["an unquoted label value", "# TYPE foo gauge\nfoo{a=b} 1\n"],
    ["a bad escape", '# TYPE foo gauge\nfoo{a="\\t"} 1\n'],
    ["a duplicate series", '# TYPE foo gauge\nfoo{a="1"} 1\nfoo{a="1"} 2\n'],
    ["a split family", "# TYPE foo gauge\nfoo 1\n# TYPE bar gauge\nbar 1\n# HELP foo again\n"],
    [
      "a histogram whose +Inf bucket disagrees with _count",
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n',
    ],
    [
      "non-cumulative buckets",
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="2"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 2\n',
    ],
    ["a missing final newline", "# TYPE foo gauge\nfoo 1"],
  ])("when the text has %s, then it is rejected", (_label, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
