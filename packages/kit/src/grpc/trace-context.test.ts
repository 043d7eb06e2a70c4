import { AsyncLocalStorage } from "node:async_hooks";
import {
  type Context,
  type ContextManager,
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
} from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InventoryService } from "@orderly/contracts/inventory";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { client, fakeInventory, startServer, testKit } from "./test-harness.ts";

/** The smallest async-aware context manager: what the tracing module's SDK registers in production. */
class AlsContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

const CALLER = { traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", traceFlags: 1 };

describe("trace context without instrumentation-grpc", () => {
  beforeEach(() => {
    context.setGlobalContextManager(new AlsContextManager());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterEach(() => {
    propagation.disable();
    context.disable();
  });

  it("when a caller inside a span calls a method, then the handler runs in the caller's trace and its logs carry the trace id", async () => {
    const kit = testKit();
    let seenTraceId: string | undefined;
    const { target } = await startServer(kit, (s) =>
      s.add(
        InventoryService,
        fakeInventory({
          async getItem(request, ctx) {
            seenTraceId = trace.getActiveSpan()?.spanContext().traceId;
            ctx.log.info("looking up item");
            return { item: { sku: request.sku } };
          },
        }),
      ),
    );
    const inventory = client(kit, InventoryService, target);
    const callerContext = trace.setSpanContext(ROOT_CONTEXT, { ...CALLER, isRemote: false });

    await context.with(callerContext, () => inventory.getItem({ sku: "W-1" }));

    expect(seenTraceId).toBe(CALLER.traceId);
    expect(kit.lines.find((l) => l.msg === "looking up item")).toMatchObject({ trace_id: CALLER.traceId });
  });
});
