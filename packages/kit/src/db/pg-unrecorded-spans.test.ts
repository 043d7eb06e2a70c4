import { context, INVALID_SPAN_CONTEXT, type Span, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { describe, expect, it } from "vitest";
import { skipUnrecordedPgSpans } from "./pg-unrecorded-spans.ts";

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

/** A pg module shaped as instrumentation-pg leaves it: each patched method keeps pg's own as __original. */
function instrumentedPg() {
  const calls: string[] = [];
  const mark = (name: string) => {
    const original = () => calls.push(`pg ${name}`);
    return Object.assign(() => calls.push(`instrumented ${name}`), { __original: original, __wrapped: true });
  };
  class BasePool {}
  Object.assign(BasePool.prototype, { connect: mark("connect") });
  class Pool extends BasePool {}
  class Client {}
  Object.assign(Client.prototype, { query: mark("query") });
  const pg = { Client, Pool };
  const use = () => {
    (Client.prototype as { query(): void }).query();
    (Pool.prototype as { connect(): void }).connect();
  };
  return { pg, calls, use };
}

const recordingSpan = { isRecording: () => true, spanContext: () => INVALID_SPAN_CONTEXT } as unknown as Span;
const unsampledSpan = trace.wrapSpanContext({
  ...INVALID_SPAN_CONTEXT,
  traceId: "1".repeat(32),
  spanId: "2".repeat(16),
});

describe("skipUnrecordedPgSpans", () => {
  it("when the active span records, then queries and connects go through the instrumentation", () => {
    const { pg, calls, use } = instrumentedPg();
    skipUnrecordedPgSpans(pg);

    context.with(trace.setSpan(context.active(), recordingSpan), use);

    expect(calls).toEqual(["instrumented query", "instrumented connect"]);
  });

  it("when the active span belongs to an unsampled trace, then pg's own methods run, with no span", () => {
    const { pg, calls, use } = instrumentedPg();
    skipUnrecordedPgSpans(pg);

    context.with(trace.setSpan(context.active(), unsampledSpan), use);

    expect(unsampledSpan.isRecording()).toBe(false);
    expect(calls).toEqual(["pg query", "pg connect"]);
  });

  it("when pg was not instrumented (telemetry off), then its methods are left as they are", () => {
    class Client {}
    const query = () => "rows";
    Object.assign(Client.prototype, { query });
    class Pool {}

    skipUnrecordedPgSpans({ Client, Pool });

    expect((Client.prototype as { query: unknown }).query).toBe(query);
  });
});
