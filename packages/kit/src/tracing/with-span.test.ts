import { SpanStatusCode, trace } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InMemorySpanExporter, SimpleSpanProcessor, startTracing, type Tracing, withSpan } from "./index.ts";

describe("withSpan", () => {
  let exporter: InMemorySpanExporter;
  let tracing: Tracing;

  beforeEach(async () => {
    // Shutting the SDK down also shuts (and empties) its exporter: a fresh one per test.
    exporter = new InMemorySpanExporter();
    tracing = await startTracing({
      serviceName: "with-span-test",
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
  });

  afterEach(() => tracing.shutdown());

  it("when the work succeeds, then one ended span with its attributes is exported and the result returned", async () => {
    const result = await withSpan("reserve stock", { "orderly.order_id": "o-1" }, async () => 42);

    expect(result).toBe(42);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe("reserve stock");
    expect(span?.attributes).toEqual({ "orderly.order_id": "o-1" });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.ended).toBe(true);
  });

  it("when the work throws, then the error propagates and the span ends as an error with the exception recorded", async () => {
    await expect(
      withSpan("issue invoice", {}, () => {
        throw new Error("invoice service unavailable");
      }),
    ).rejects.toThrow("invoice service unavailable");

    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: "invoice service unavailable" });
    expect(span?.events.map((event) => event.name)).toEqual(["exception"]);
    expect(span?.ended).toBe(true);
  });

  it("when spans nest, then the inner one is the active span inside and a child of the outer one", async () => {
    let activeInside: string | undefined;
    await withSpan("saga step", {}, () =>
      withSpan("grpc call", {}, () => {
        activeInside = trace.getActiveSpan()?.spanContext().spanId;
      }),
    );

    const [inner, outer] = exporter.getFinishedSpans();
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
    expect(activeInside).toBe(inner?.spanContext().spanId);
  });
});
