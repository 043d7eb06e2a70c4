import { describe, expect, it } from "vitest";
import { InvoiceNumberer } from "./invoice-numberer.ts";

/** A numbering pass the test finishes by hand, counting how many were started. */
function controlledPasses() {
  const passes: PromiseWithResolvers<number>[] = [];
  return {
    passes,
    numberPending: () => {
      const pass = Promise.withResolvers<number>();
      passes.push(pass);
      return pass.promise;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("InvoiceNumberer", () => {
  it("when many callers ask during a pass, then they share the one pass after it", async () => {
    const { passes, numberPending } = controlledPasses();
    const numberer = new InvoiceNumberer({ numberPending, intervalMs: 60_000, onError: () => {} });
    const first = numberer.numberSoon();
    const waiting = Array.from({ length: 50 }, () => numberer.numberSoon());
    await settle();
    expect(passes).toHaveLength(1);

    passes[0]?.resolve(1);
    await first;
    await settle();
    expect(passes).toHaveLength(2); // one pass for all 50, which asked after the first had started
    passes[1]?.resolve(50);
    await Promise.all(waiting);
    expect(passes).toHaveLength(2);
  });

  it("when a pass fails, then its callers are released, the error is reported, and the next call runs a new pass", async () => {
    const errors: unknown[] = [];
    const { passes, numberPending } = controlledPasses();
    const numberer = new InvoiceNumberer({
      numberPending,
      intervalMs: 60_000,
      onError: (e) => errors.push(e),
    });
    const asked = numberer.numberSoon();
    await settle();
    passes[0]?.reject(new Error("database gone"));
    await asked;
    expect(errors).toEqual([new Error("database gone")]);
    const again = numberer.numberSoon();
    await settle();
    passes[1]?.resolve(0);
    await again;
    expect(passes).toHaveLength(2);
  });

  it("when stopped, then the running pass finishes, callers are released and no pass starts after", async () => {
    const { passes, numberPending } = controlledPasses();
    const numberer = new InvoiceNumberer({ numberPending, intervalMs: 60_000, onError: () => {} });
    numberer.start();
    await settle();
    const queued = numberer.numberSoon();
    const stopped = numberer.stop();
    passes[0]?.resolve(0);
    await stopped;
    await queued;
    await numberer.numberSoon();
    expect(passes).toHaveLength(1);
  });
});
