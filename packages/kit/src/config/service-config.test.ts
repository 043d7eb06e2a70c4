import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { configErrorOf } from "./config-error.test-support.ts";
import { ConfigError } from "./config-error.ts";
import { envTypes } from "./env-types.ts";
import { peerAddressVariable } from "./peer-address-variable.ts";
import { loadServiceConfig } from "./service-config.ts";

/** The variables below are about other settings; auth has its own tests. */
const AUTH_OFF = { AUTH_DISABLED: "true" } as const;

const spec = { name: "order", version: "1.2.3", defaultHttpPort: 8080, defaultGrpcPort: 50051 };

describe("loadServiceConfig", () => {
  it("when no variable is set, then every setting has its documented default", () => {
    const config = loadServiceConfig(spec, AUTH_OFF);

    expect(config).toMatchObject({
      service: "order",
      version: "1.2.3",
      http: { host: "0.0.0.0", port: 8080 },
      grpc: { host: "0.0.0.0", port: 50051 },
      databaseUrl: "pglite:.data/order",
      advertiseAddress: hostname(),
      consul: undefined,
      peers: {},
      log: { level: "info", pretty: false },
      shutdown: { propagationDelayMs: 2000, drainTimeoutMs: 10000 },
      load: {
        maxEventLoopDelayMs: 1000,
        maxHeapUsedBytes: 0,
        maxRssBytes: 0,
        admission: { http: { mode: "off" }, grpc: { mode: "static", limit: 1000 } },
      },
      canary: undefined,
      retention: {
        outboxDeliveredMs: 86_400_000,
        inboxMs: 192 * 3_600_000,
        intervalMs: 300_000,
        batchSize: 1000,
      },
      extra: {},
    });
    expect(config.instanceId).toMatch(new RegExp(`^order-${hostname()}-[0-9a-f]{8}$`));
  });

  it("when the standard variables are set, then they are parsed into typed values", () => {
    const config = loadServiceConfig(spec, {
      ...AUTH_OFF,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: "18080",
      GRPC_HOST: "::1",
      GRPC_PORT: "0",
      DATABASE_URL: "postgres://orderly@db:5432/order",
      SERVICE_ADDRESS: "10.0.0.7",
      INSTANCE_ID: "order-7",
      LOG_LEVEL: "debug",
      LOG_PRETTY: "yes",
      SHUTDOWN_PROPAGATION_DELAY_MS: "0",
      SHUTDOWN_DRAIN_TIMEOUT_MS: "2500",
      LOAD_MAX_EVENT_LOOP_DELAY_MS: "250",
      LOAD_MAX_HEAP_USED_MB: "512",
      LOAD_MAX_RSS_MB: "1024",
    });

    expect(config).toMatchObject({
      instanceId: "order-7",
      http: { host: "127.0.0.1", port: 18080 },
      grpc: { host: "::1", port: 0 },
      databaseUrl: "postgres://orderly@db:5432/order",
      advertiseAddress: "10.0.0.7",
      log: { level: "debug", pretty: true },
      shutdown: { propagationDelayMs: 0, drainTimeoutMs: 2500 },
      load: {
        maxEventLoopDelayMs: 250,
        maxHeapUsedBytes: 512 * 1024 * 1024,
        maxRssBytes: 1024 * 1024 * 1024,
      },
    });
  });

  it("when a variable is empty or only spaces, then it counts as unset and the default applies", () => {
    const config = loadServiceConfig(spec, { ...AUTH_OFF, HTTP_PORT: "", GRPC_PORT: "  ", LOG_LEVEL: "" });

    expect(config.http.port).toBe(8080);
    expect(config.grpc.port).toBe(50051);
    expect(config.log.level).toBe("info");
  });

  it("when loaded, then the result is frozen all the way down", () => {
    const config = loadServiceConfig(
      { ...spec, peers: ["inventory"], extra: { LIMITS: envTypes.positiveInt(3) } },
      { ...AUTH_OFF, CONSUL_HTTP_ADDR: "consul:8500" },
    );

    expect(Object.isFrozen(config)).toBe(true);
    for (const part of [config.http, config.grpc, config.log, config.shutdown, config.peers, config.extra]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(Object.isFrozen(config.consul)).toBe(true);
    expect(() => {
      (config.http as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it("when several variables are invalid, then one ConfigError names each of them and what was expected", () => {
    const error = configErrorOf(() =>
      loadServiceConfig(spec, {
        ...AUTH_OFF,
        HTTP_PORT: "abc",
        GRPC_PORT: "70000",
        DATABASE_URL: "mysql://db/order",
        LOG_LEVEL: "loud",
        LOG_PRETTY: "maybe",
        SHUTDOWN_DRAIN_TIMEOUT_MS: "0",
        SHUTDOWN_PROPAGATION_DELAY_MS: "-1",
      }),
    );

    expect(error.issues).toEqual(
      expect.arrayContaining([
        { variable: "HTTP_PORT", expected: "expected a port number (0-65535)" },
        { variable: "GRPC_PORT", expected: "expected a port number (0-65535)" },
        { variable: "DATABASE_URL", expected: "expected postgres://user@host:port/db or pglite:<directory>" },
        { variable: "LOG_LEVEL", expected: "expected one of fatal, error, warn, info, debug, trace, silent" },
        { variable: "LOG_PRETTY", expected: "expected 1/0, true/false or yes/no" },
        { variable: "SHUTDOWN_DRAIN_TIMEOUT_MS", expected: "expected a positive whole number" },
        { variable: "SHUTDOWN_PROPAGATION_DELAY_MS", expected: "expected a whole number >= 0" },
      ]),
    );
    expect(error.issues).toHaveLength(7);
    expect(error.message).toMatch(/^invalid configuration: /);
    for (const variable of ["HTTP_PORT", "GRPC_PORT", "DATABASE_URL", "LOG_LEVEL", "LOG_PRETTY"]) {
      expect(error.message).toContain(`${variable}: `);
    }
  });

  it("when SERVICE_VERSION and a canary are set, then the version is overridden and the canary share parsed", () => {
    const config = loadServiceConfig(spec, {
      ...AUTH_OFF,
      SERVICE_VERSION: "1.3.0-canary.1",
      CANARY_VERSION: "2.0.0-rc.1",
      CANARY_SHARE: "0.05",
    });

    expect(config.version).toBe("1.3.0-canary.1");
    expect(config.canary).toEqual({ version: "2.0.0-rc.1", share: 0.05 });
  });

  it("when CANARY_SHARE is above 1 or a version has spaces, then the error names each variable", () => {
    const error = configErrorOf(() =>
      loadServiceConfig(spec, {
        ...AUTH_OFF,
        CANARY_VERSION: "two point oh",
        CANARY_SHARE: "5",
        SERVICE_VERSION: "a b",
      }),
    );

    expect(error.issues).toEqual([
      {
        variable: "SERVICE_VERSION",
        expected: "expected a version tag (letters, digits, . _ + -; at most 64)",
      },
      {
        variable: "CANARY_VERSION",
        expected: "expected a version tag (letters, digits, . _ + -; at most 64)",
      },
      { variable: "CANARY_SHARE", expected: "expected a fraction between 0 and 1 (0.05 = 5 %)" },
    ]);
  });

  it("when a port is fractional, then it is rejected as not a whole port number", () => {
    expect(configErrorOf(() => loadServiceConfig(spec, { ...AUTH_OFF, HTTP_PORT: "80.5" })).issues).toEqual([
      { variable: "HTTP_PORT", expected: "expected a whole port number (0-65535)" },
    ]);
  });

  it("when the database is embedded or in memory, then pglite URLs are accepted", () => {
    expect(loadServiceConfig(spec, { ...AUTH_OFF, DATABASE_URL: "pglite:/var/lib/order" }).databaseUrl).toBe(
      "pglite:/var/lib/order",
    );
    expect(loadServiceConfig(spec, { ...AUTH_OFF, DATABASE_URL: "pglite:memory" }).databaseUrl).toBe(
      "pglite:memory",
    );
    expect(loadServiceConfig(spec, { ...AUTH_OFF, DATABASE_URL: "postgresql://db/order" }).databaseUrl).toBe(
      "postgresql://db/order",
    );
  });
});

describe("peer variables", () => {
  it("when peers are declared, then each reads <PEER>_GRPC_ADDR, unset ones staying undefined", () => {
    const config = loadServiceConfig(
      { ...spec, peers: ["inventory", "invoice", "fulfillment"] },
      {
        ...AUTH_OFF,
        INVENTORY_GRPC_ADDR: "inventory:50052",
        INVOICE_GRPC_ADDR: "10.0.0.1:50053,10.0.0.2:50053",
      },
    );

    expect(config.peers).toEqual({
      inventory: "inventory:50052",
      invoice: "10.0.0.1:50053,10.0.0.2:50053",
      fulfillment: undefined,
    });
  });

  it("when a peer name has dashes or lower case, then its variable is upper snake case", () => {
    expect(peerAddressVariable("inventory")).toBe("INVENTORY_GRPC_ADDR");
    expect(peerAddressVariable("tax-rates")).toBe("TAX_RATES_GRPC_ADDR");
  });

  it("when a peer address has no port, then the error names the peer's variable", () => {
    const error = configErrorOf(() =>
      loadServiceConfig({ ...spec, peers: ["inventory"] }, { ...AUTH_OFF, INVENTORY_GRPC_ADDR: "inventory" }),
    );

    expect(error.issues).toEqual([
      { variable: "INVENTORY_GRPC_ADDR", expected: "expected host:port (several separated by commas)" },
    ]);
  });

  it("when a variable belongs to no declared peer, then it is ignored", () => {
    const config = loadServiceConfig(
      { ...spec, peers: ["inventory"] },
      { ...AUTH_OFF, INVOICE_GRPC_ADDR: "nonsense" },
    );

    expect(config.peers).toEqual({ inventory: undefined });
  });
});

describe("CONSUL_HTTP_ADDR", () => {
  it.each([
    ["consul:8500", "http://consul:8500"],
    ["127.0.0.1:8500", "http://127.0.0.1:8500"],
    ["consul:8500/", "http://consul:8500"],
    ["http://consul:8500", "http://consul:8500"],
    ["http://consul:8500/", "http://consul:8500"],
    ["https://consul.internal:8501", "https://consul.internal:8501"],
    ["httpd-consul:8500", "http://httpd-consul:8500"],
    ["https-gateway:8500", "http://https-gateway:8500"],
  ])("when it is %s, then Consul is on at %s", (value, address) => {
    expect(loadServiceConfig(spec, { ...AUTH_OFF, CONSUL_HTTP_ADDR: value }).consul).toEqual({
      address,
      token: undefined,
    });
  });

  it("when a token is set with it, then the token is kept beside the address", () => {
    const config = loadServiceConfig(spec, {
      ...AUTH_OFF,
      CONSUL_HTTP_ADDR: "consul:8500",
      CONSUL_HTTP_TOKEN: "s3cr3t",
    });

    expect(config.consul).toEqual({ address: "http://consul:8500", token: "s3cr3t" });
  });

  it("when it has no port, then the error names CONSUL_HTTP_ADDR", () => {
    expect(
      configErrorOf(() => loadServiceConfig(spec, { ...AUTH_OFF, CONSUL_HTTP_ADDR: "consul" })).issues,
    ).toEqual([{ variable: "CONSUL_HTTP_ADDR", expected: "expected host:port or http://host:port" }]);
  });
});

describe("the service's own variables (extra)", () => {
  const extraSpec = {
    ...spec,
    extra: {
      SAGA_POLL_INTERVAL_MS: envTypes.positiveInt(500),
      FEATURE_FAST_PATH: envTypes.flag(false),
      PAYMENT_PROVIDER_URL: envTypes.httpAddress(),
    },
  };

  it("when unset, then config.extra holds exactly its keys with their defaults", () => {
    const config = loadServiceConfig(extraSpec, AUTH_OFF);

    expect(config.extra).toEqual({
      SAGA_POLL_INTERVAL_MS: 500,
      FEATURE_FAST_PATH: false,
      PAYMENT_PROVIDER_URL: undefined,
    });
  });

  it("when set, then they are parsed by their own schema into typed values", () => {
    const config = loadServiceConfig(extraSpec, {
      ...AUTH_OFF,
      SAGA_POLL_INTERVAL_MS: "250",
      FEATURE_FAST_PATH: "true",
      PAYMENT_PROVIDER_URL: "payments:9000",
    });

    expect(config.extra).toEqual({
      SAGA_POLL_INTERVAL_MS: 250,
      FEATURE_FAST_PATH: true,
      PAYMENT_PROVIDER_URL: "http://payments:9000",
    });
  });

  it("when one is invalid, then the error names it alongside any standard variable at fault", () => {
    const error = configErrorOf(() =>
      loadServiceConfig(extraSpec, { ...AUTH_OFF, SAGA_POLL_INTERVAL_MS: "soon", HTTP_PORT: "x" }),
    );

    expect(error.issues.map((i) => i.variable).sort()).toEqual(["HTTP_PORT", "SAGA_POLL_INTERVAL_MS"]);
  });

  it("when a required one is missing, then the error names it", () => {
    const required = { PAYMENT_API_KEY: z.string({ error: "expected the payment provider's API key" }) };

    const error = configErrorOf(() =>
      loadServiceConfig({ ...spec, extra: required }, { ...AUTH_OFF, PAYMENT_API_KEY: " " }),
    );

    expect(error.issues).toEqual([
      { variable: "PAYMENT_API_KEY", expected: "expected the payment provider's API key" },
    ]);
  });
});

describe("auth and API docs variables", () => {
  it("when no key source is set and auth is not disabled, then loading fails naming AUTH_JWKS_URL and AUTH_JWKS_FILE", () => {
    const issues = configErrorOf(() => loadServiceConfig(spec, {})).issues.map((i) => i.variable);

    expect(issues).toEqual(expect.arrayContaining(["AUTH_JWKS_URL", "AUTH_JWKS_FILE"]));
  });

  it("when auth is disabled on purpose, then the service config says so and API docs stay off by default", () => {
    const config = loadServiceConfig(spec, { AUTH_DISABLED: "true" });

    expect(config.auth).toEqual({ disabled: true });
    expect(config.exposeApiDocs).toBe(false);
  });

  it("when a JWKS file, issuer and audience are set, then they are the auth config", () => {
    const config = loadServiceConfig(spec, {
      AUTH_JWKS_FILE: "/keys/jwks.json",
      AUTH_ISSUER: "https://id.example",
      AUTH_AUDIENCE: "orderly",
      EXPOSE_API_DOCS: "true",
    });

    expect(config.auth).toEqual({
      disabled: false,
      keys: { file: "/keys/jwks.json" },
      issuer: "https://id.example",
      audience: "orderly",
    });
    expect(config.exposeApiDocs).toBe(true);
  });

  it("when a JWKS URL is set without issuer and audience, then loading fails naming both", () => {
    const issues = configErrorOf(() =>
      loadServiceConfig(spec, { AUTH_JWKS_URL: "https://id.example/.well-known/jwks.json" }),
    ).issues.map((i) => i.variable);

    expect(issues).toEqual(["AUTH_ISSUER", "AUTH_AUDIENCE"]);
  });

  it("when the JWKS URL is not http(s) and another variable is bad too, then both are named at once", () => {
    const issues = configErrorOf(() =>
      loadServiceConfig(spec, {
        AUTH_JWKS_URL: "file:///etc/jwks",
        HTTP_PORT: "x",
        AUTH_ISSUER: "i",
        AUTH_AUDIENCE: "a",
      }),
    ).issues.map((i) => i.variable);

    expect(issues).toEqual(["HTTP_PORT", "AUTH_JWKS_URL"]);
  });
});

describe("what a spec declares beyond its variables", () => {
  it("when peers are required and Consul is off, then each missing peer address is named", () => {
    const peerSpec = { ...spec, peers: ["inventory", "invoice"], requirePeers: true };

    const error = configErrorOf(() =>
      loadServiceConfig(peerSpec, { ...AUTH_OFF, INVOICE_GRPC_ADDR: "invoice:1" }),
    );

    expect(error.issues.map((i) => i.variable)).toEqual(["INVENTORY_GRPC_ADDR"]);
    expect(loadServiceConfig(peerSpec, { ...AUTH_OFF, CONSUL_HTTP_ADDR: "consul:8500" }).peers).toEqual({
      inventory: undefined,
      invoice: undefined,
    });
  });

  it("when checkExtra finds an issue in parsed values, then the start fails naming its variable", () => {
    const checked = {
      ...spec,
      extra: { LOW: envTypes.positiveInt(1), HIGH: envTypes.positiveInt(2) },
      checkExtra: (extra: { LOW: number; HIGH: number }) =>
        extra.HIGH < extra.LOW ? [{ variable: "HIGH", expected: "a number >= LOW" }] : [],
    };

    expect(loadServiceConfig(checked, AUTH_OFF).extra).toEqual({ LOW: 1, HIGH: 2 });
    expect(configErrorOf(() => loadServiceConfig(checked, { ...AUTH_OFF, LOW: "5" })).issues).toEqual([
      { variable: "HIGH", expected: "a number >= LOW" },
    ]);
  });

  it("when a section is declared, then its value is a config field and its errors are named with the rest", () => {
    const section = (env: Readonly<Record<string, string | undefined>>) => {
      if (env.BUS_URL === "bad") throw new ConfigError([{ variable: "BUS_URL", expected: "a URL" }]);
      return { url: env.BUS_URL };
    };
    const withSection = { ...spec, sections: { bus: section } };

    expect(loadServiceConfig(withSection, { ...AUTH_OFF, BUS_URL: "nats://x:1" }).bus).toEqual({
      url: "nats://x:1",
    });
    const error = configErrorOf(() =>
      loadServiceConfig(withSection, { ...AUTH_OFF, BUS_URL: "bad", HTTP_PORT: "x" }),
    );
    expect(error.issues.map((i) => i.variable)).toEqual(["HTTP_PORT", "BUS_URL"]);
  });
});
