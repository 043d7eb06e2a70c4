import { setTimeout as sleep } from "node:timers/promises";
import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { describe, expect, it } from "vitest";
import type { ServerCallContext } from "./call-context.ts";
import { currentIncomingCall, runAsIncomingCall, runOutsideCall } from "./incoming-call-scope.ts";

// What the kit's telemetry entry does before anything is served: a context manager that
// propagates, so the call rides in the OpenTelemetry context (the path production takes).
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const call = (name: string) => ({ method: name }) as unknown as ServerCallContext;
const SPAN_KEY = createContextKey("a value the call's span context carries");

describe("incoming call scope, with OpenTelemetry's context manager registered", () => {
  it("when work runs as a call, then the call is current across awaits and timers, and only there", async () => {
    const a = call("A");
    const seen = await runAsIncomingCall(a, undefined, async () => {
      const before = currentIncomingCall();
      await sleep(1);
      const later = await new Promise((resolve) => setTimeout(() => resolve(currentIncomingCall()), 1));
      return [before, later];
    });
    expect(seen).toEqual([a, a]);
    expect(currentIncomingCall()).toBeUndefined();
  });

  it("when the call has a span context, then the work sees both the call and that context's values", () => {
    const spanContext = ROOT_CONTEXT.setValue(SPAN_KEY, "span");
    const seen = runAsIncomingCall(call("B"), spanContext, () => [
      currentIncomingCall()?.method,
      context.active().getValue(SPAN_KEY),
    ]);
    expect(seen).toEqual(["B", "span"]);
  });

  it("when calls nest or work leaves its call, then each sees its own or none", async () => {
    const outer = call("outer");
    const inner = call("inner");
    const seen = await runAsIncomingCall(outer, undefined, async () => {
      const nested = runAsIncomingCall(inner, undefined, () => currentIncomingCall());
      const detached = await runOutsideCall(async () => {
        await sleep(1);
        return currentIncomingCall();
      });
      return [nested, detached, currentIncomingCall()];
    });
    expect(seen).toEqual([inner, undefined, outer]);
  });
});
