import { afterEach, describe, expect, it } from "vitest";
import { type TestServer, testServer } from "./http.test-support.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let server: TestServer;
afterEach(async () => {
  await server.app.close();
});

describe("request ids", () => {
  it("when the caller sends a sane x-request-id, then it is echoed and used in the problem body and logs", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/v1/boom", headers: { "x-request-id": "checkout-7f3a:42" } });

    expect(res.headers["x-request-id"]).toBe("checkout-7f3a:42");
    expect(res.json().request_id).toBe("checkout-7f3a:42");
    expect(server.logs.find((l) => l.level === "error")?.request_id).toBe("checkout-7f3a:42");
  });

  it("when the caller sends none, then a UUID is generated and echoed", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/v1/items/SKU-1" });

    expect(res.statusCode).toBe(200);
    expect(res.headers["x-request-id"]).toMatch(UUID);
  });

  it.each([
    ["too long", "a".repeat(129)],
    ["spaces and quotes", 'evil" id'],
    ["a log-forging newline", "abc\ninjected"],
    ["empty", ""],
  ])("when the incoming id is %s, then it is replaced by a fresh UUID", async (_label, incoming) => {
    server = testServer();

    const res = await server.app.inject({ url: "/health/live", headers: { "x-request-id": incoming } });

    expect(res.headers["x-request-id"]).toMatch(UUID);
  });

  it("when two requests carry no id, then they get different ids", async () => {
    server = testServer();

    const [a, b] = await Promise.all([
      server.app.inject({ url: "/health/live" }),
      server.app.inject({ url: "/health/live" }),
    ]);

    expect(a.headers["x-request-id"]).not.toBe(b.headers["x-request-id"]);
  });

  it("when a request is rejected before routing (404), then it still carries the id header", async () => {
    server = testServer();

    const res = await server.app.inject({ url: "/missing", headers: { "x-request-id": "r-404" } });

    expect(res.statusCode).toBe(404);
    expect(res.headers["x-request-id"]).toBe("r-404");
  });
});
