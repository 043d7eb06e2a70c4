import { trace } from "@opentelemetry/api";
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { shutdownTelemetry, startTracing, withSpan } from "./index.ts";
import { holdTelemetry, type RunningTelemetry, releaseTelemetry } from "./telemetry-slot.ts";

describe("shutdownTelemetry", () => {
  it("when tracing was never started, then it reports off and does nothing", async () => {
    expect(await shutdownTelemetry()).toEqual({ status: "off" });
  });

  it("when spans are still buffered, then it exports them, stops tracing, and tracing can start again", async () => {
    const exported: string[] = [];
    const exporter: SpanExporter = {
      export: (spans: ReadableSpan[], done) => {
        exported.push(...spans.map((span) => span.name));
        done({ code: 0 });
      },
      shutdown: async () => undefined,
    };
    // A batch that would wait a minute: only the shutdown flush can export it.
    const batch = new BatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000 });
    await startTracing({ serviceName: "shutdown-test", spanProcessors: [batch] });
    await withSpan("last work", {}, async () => undefined);
    expect(exported).toEqual([]);

    expect(await shutdownTelemetry()).toEqual({ status: "flushed" });
    expect(exported).toEqual(["last work"]);
    expect(await shutdownTelemetry()).toEqual({ status: "off" });
    // The API no longer points at the stopped SDK: new spans are no-ops.
    expect(trace.getTracer("after").startSpan("ignored").isRecording()).toBe(false);

    const again = await startTracing({ serviceName: "shutdown-test" });
    await again.shutdown();
  });

  it("when tracing is already running, then a second start is refused", async () => {
    const tracing = await startTracing({ serviceName: "first" });
    await expect(startTracing({ serviceName: "second" })).rejects.toThrow("already running");
    await tracing.shutdown();
  });

  it("when the flush hangs (an unreachable collector), then it gives up after the timeout", async () => {
    const stuck: RunningTelemetry = { shutdown: () => new Promise(() => undefined) };
    holdTelemetry(stuck);
    try {
      expect(await shutdownTelemetry({ timeoutMs: 10 })).toEqual({ status: "timed-out", timeoutMs: 10 });
    } finally {
      releaseTelemetry(stuck);
    }
  });

  it("when the flush fails, then the failure is reported, not thrown", async () => {
    const failing: RunningTelemetry = { shutdown: () => Promise.reject(new Error("export failed")) };
    holdTelemetry(failing);
    try {
      expect(await shutdownTelemetry()).toMatchObject({
        status: "failed",
        error: new Error("export failed"),
      });
    } finally {
      releaseTelemetry(failing);
    }
  });
});
