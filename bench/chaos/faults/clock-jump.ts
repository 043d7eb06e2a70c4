import type { Fault } from "./fault.ts";

const HOUR_MS = 3_600_000;

/**
 * The saga worker's host clock jumps an hour ahead: order-b restarts (SIGTERM) with
 * ORDERLY_CLOCK_OFFSET_MS=+1 h, runs so under load for the hold, and restarts with its clock
 * right again. Its leases and retry times are an hour off meanwhile: it sees every lease of
 * order-a as lapsed, and what it leases or defers looks an hour away to order-a. Goals: no
 * invariant violation, nothing stuck, and (the step calls/order column) no saga step run twice.
 */
export const clockJump: Fault = {
  name: "clock jump +1 h on order-b (restarted with it for 10 s, then without)",
  zeroFailures: true,
  holdMs: 10_000,
  inject: async (ctx) => {
    await ctx.stack.process("order-b").stop(15_000);
    await ctx.stack.restart("order-b", { ORDERLY_CLOCK_OFFSET_MS: String(HOUR_MS) });
  },
  heal: async (ctx) => {
    await ctx.stack.process("order-b").stop(15_000);
    await ctx.stack.restart("order-b");
  },
};
