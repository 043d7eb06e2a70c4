import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTracing, type Tracing, withSpan } from "../tracing/index.ts";
import { createLogger, type LoggerOptions } from "./create-logger.ts";

function capture(options: Partial<LoggerOptions> = {}) {
  const written: string[] = [];
  const log = createLogger({
    service: "inventory",
    version: "1.4.0",
    instance: "inventory-a1",
    // A real stream: the pretty printer pipes into its destination.
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    }),
    ...options,
  });
  const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, written, lines };
}

describe("createLogger", () => {
  it("when a line is written, then it is one JSON object with service, version, instance, level and time", () => {
    const { log, lines } = capture();

    log.info({ sku: "A-1" }, "stock adjusted");

    expect(lines()).toEqual([
      {
        level: "info",
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        service: "inventory",
        version: "1.4.0",
        instance: "inventory-a1",
        sku: "A-1",
        msg: "stock adjusted",
      },
    ]);
  });

  it("when a line is written below the configured level, then nothing is written", () => {
    const { log, written } = capture({ level: "warn" });

    log.info("routine");

    expect(written).toEqual([]);
  });

  it("when pretty output is asked for, then lines are human-readable text, still redacted", async () => {
    const { log, written } = capture({ pretty: true });

    log.info({ email: "ada@example.com" }, "customer registered");
    await new Promise((resolve) => setImmediate(resolve));

    const text = written.join("");
    expect(text).toContain("INFO");
    expect(text).toContain("inventory | customer registered");
    expect(text).toContain("[redacted]");
    expect(text).not.toContain("ada@example.com");
    expect(() => JSON.parse(text)).toThrow();
  });
});

describe("createLogger inside spans", () => {
  let tracing: Tracing;
  beforeEach(async () => {
    tracing = await startTracing({ serviceName: "inventory" });
  });
  afterEach(() => tracing.shutdown());

  it("when a line is written inside an active span, then it carries that span's trace and span ids", async () => {
    const { log, lines } = capture();

    const ids = await withSpan("reserve", {}, (span) => {
      log.info("reserving");
      return span.spanContext();
    });
    log.info("after the span");

    const [inside, after] = lines();
    expect(inside).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
    expect(inside?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(after).not.toHaveProperty("trace_id");
    expect(after).not.toHaveProperty("span_id");
  });
});
