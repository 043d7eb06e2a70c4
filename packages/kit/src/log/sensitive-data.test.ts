import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.ts";

function logged(fields: Record<string, unknown>): Record<string, unknown> {
  const written: string[] = [];
  const log = createLogger({
    service: "order",
    version: "1.0.0",
    instance: "order-1",
    destination: { write: (line: string) => written.push(line) },
  });
  log.info(fields, "event");
  const line = JSON.parse(written[0] ?? "{}") as Record<string, unknown>;
  for (const key of ["level", "time", "service", "version", "instance", "msg"]) delete line[key];
  return line;
}

describe("redaction of secrets and personal data", () => {
  it("when a customer is logged, then the customer's id stays and name, email and phone are redacted", () => {
    expect(
      logged({ customer: { id: "c-1", name: "Ada Lovelace", email: "ada@example.com", phone: "+44 20" } }),
    ).toEqual({
      customer: { id: "c-1", name: "[redacted]", email: "[redacted]", phone: "[redacted]" },
    });
  });

  it("when personal data is nested in an order or a list, then it is redacted there too", () => {
    expect(
      logged({
        order: { id: "o-1", total: 1250, customer: { name: "Ada", email: "ada@example.com" } },
        recipients: [{ email: "grace@example.com", role: "cc" }],
      }),
    ).toEqual({
      order: { id: "o-1", total: 1250, customer: { name: "[redacted]", email: "[redacted]" } },
      recipients: [{ email: "[redacted]", role: "cc" }],
    });
  });

  it("when a shipping address is logged, in either spelling, then the whole address is redacted", () => {
    expect(
      logged({
        shipping_address: { street: "1 Main St", city: "Springfield" },
        shipment: { shippingAddress: { zip: "1" } },
      }),
    ).toEqual({ shipping_address: "[redacted]", shipment: { shippingAddress: "[redacted]" } });
  });

  it("when request headers are logged, then credentials are redacted and other headers kept", () => {
    const headers = Object.assign(Object.create(null) as Record<string, string>, {
      authorization: "Bearer eyJhbGci",
      cookie: "session=abc",
      "x-api-key": "k-123",
      "content-type": "application/json",
    });
    expect(logged({ req: { method: "POST", url: "/v1/orders", headers } })).toEqual({
      req: {
        method: "POST",
        url: "/v1/orders",
        headers: {
          authorization: "[redacted]",
          cookie: "[redacted]",
          "x-api-key": "[redacted]",
          "content-type": "application/json",
        },
      },
    });
  });

  it("when tokens, passwords or secrets are logged at any level, then they are redacted", () => {
    expect(logged({ password: "hunter2", consul: { token: "t-1", address: "http://consul:8500" } })).toEqual({
      password: "[redacted]",
      consul: { token: "[redacted]", address: "http://consul:8500" },
    });
  });

  it("when an address is postal (an object) or a customer's, then it is redacted; a network address is kept", () => {
    expect(
      logged({
        shipment: { address: { name: "Ada", line1: "1 Main St", city: "Springfield", country_code: "US" } },
        customer: { address: "1 Main St, Springfield" },
        peer: { address: "10.0.0.7:50052" },
      }),
    ).toEqual({
      shipment: { address: "[redacted]" },
      customer: { address: "[redacted]" },
      peer: { address: "10.0.0.7:50052" },
    });
  });

  it("when a request serializer adds headers, then the credential headers are still redacted", () => {
    const written: string[] = [];
    const log = createLogger({
      service: "order",
      version: "1.0.0",
      instance: "order-1",
      destination: { write: (line: string) => written.push(line) },
    });
    class IncomingRequest {
      headers = { authorization: "Bearer eyJhbGci", "user-agent": "curl" };
    }
    const child = log.child(
      {},
      { serializers: { req: (request: IncomingRequest) => ({ headers: request.headers }) } },
    );

    child.info({ req: new IncomingRequest() }, "incoming");

    expect(JSON.parse(written[0] ?? "{}").req).toEqual({
      headers: { authorization: "[redacted]", "user-agent": "curl" },
    });
  });

  it("when an object is logged, then the caller's object is left untouched", () => {
    const customer = { name: "Ada", email: "ada@example.com" };

    logged({ customer });

    expect(customer).toEqual({ name: "Ada", email: "ada@example.com" });
  });

  it("when nothing sensitive is logged, then names of things are kept", () => {
    expect(logged({ item: { name: "Blue mug", sku: "MUG-1" }, service: "inventory" })).toMatchObject({
      item: { name: "Blue mug", sku: "MUG-1" },
    });
  });
});

describe("redaction of bearer tokens in text", () => {
  const jwt = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
  function lines(write: (log: ReturnType<typeof createLogger>) => void): string {
    const written: string[] = [];
    const log = createLogger({
      service: "order",
      version: "1.0.0",
      instance: "order-1",
      destination: { write: (line: string) => written.push(line) },
    });
    write(log);
    return written.join("\n");
  }

  it("when a token is quoted in a message, a field's value or an error, then no line carries it", () => {
    const text = lines((log) => {
      log.warn(`token rejected: Bearer ${jwt}`);
      log.info({ curl: `curl -H 'Authorization: Bearer ${jwt}' http://x` }, "printed");
      log.info({ note: `pasted ${jwt} here` }, "raw jwt");
      log.error({ err: new Error(`verify failed for bearer ${jwt}`) }, "failed");
      log.info("printf %s", `Bearer ${jwt}`);
    });
    expect(text).not.toContain("c2lnbmF0dXJl");
    expect(text).not.toContain("eyJzdWIi");
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it("when gRPC metadata or HTTP headers carry authorization, then the value is redacted", () => {
    const text = lines((log) => {
      log.info({ metadata: { authorization: `Bearer ${jwt}`, "x-request-id": "r-1" } }, "call");
      log.info({ req: { headers: { authorization: "Bearer opaque-token-123" } } }, "request");
    });
    expect(text).not.toContain("opaque-token-123");
    expect(text).not.toContain(jwt);
    expect(text).toContain("r-1");
  });

  it("when text merely mentions bearers or JSON, then it is left as it is", () => {
    const text = lines((log) =>
      log.info({ note: "the bearer of this letter" }, "eyJ is how JSON starts in base64"),
    );
    expect(text).toContain("the bearer of this letter");
    expect(text).toContain("eyJ is how JSON starts in base64");
  });
});
