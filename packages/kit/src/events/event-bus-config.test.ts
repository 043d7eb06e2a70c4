import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.ts";
import { DEFAULT_STREAM_SETTINGS, parseEventBusConfig } from "./event-bus-config.ts";

describe("parseEventBusConfig", () => {
  it("when EVENT_BUS_URL is unset or empty, then there is no bus (delivery stays in the database)", () => {
    expect(parseEventBusConfig({})).toBeUndefined();
    expect(parseEventBusConfig({ EVENT_BUS_URL: "" })).toBeUndefined();
  });

  it("when EVENT_BUS_URL names servers, then they are listed with the default stream settings", () => {
    expect(parseEventBusConfig({ EVENT_BUS_URL: "nats://nats-1:4222, nats://nats-2:4222" })).toEqual({
      servers: ["nats://nats-1:4222", "nats://nats-2:4222"],
      stream: DEFAULT_STREAM_SETTINGS,
    });
  });

  it("when the stream variables are set, then retention, replicas, max age and dedupe window follow them", () => {
    const config = parseEventBusConfig({
      EVENT_BUS_URL: "nats://127.0.0.1:4222",
      EVENT_BUS_STREAM_RETENTION: "interest",
      EVENT_BUS_STREAM_REPLICAS: "3",
      EVENT_BUS_STREAM_MAX_AGE_SECONDS: "86400",
      EVENT_BUS_DUPLICATE_WINDOW_SECONDS: "300",
    });
    expect(config?.stream).toEqual({
      retention: "interest",
      replicas: 3,
      maxAgeMs: 86_400_000,
      duplicateWindowMs: 300_000,
    });
  });

  it.each([
    ["EVENT_BUS_URL", "http://nats:4222"],
    ["EVENT_BUS_URL", "nats://nats"],
    ["EVENT_BUS_STREAM_REPLICAS", "6"],
    ["EVENT_BUS_STREAM_RETENTION", "workqueue"],
    ["EVENT_BUS_STREAM_MAX_AGE_SECONDS", "0"],
  ])("when %s is %j, then config fails naming that variable", (variable, value) => {
    const env = { EVENT_BUS_URL: "nats://127.0.0.1:4222", [variable]: value };
    let error: unknown;
    try {
      parseEventBusConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.variable)).toEqual([variable]);
  });
});
