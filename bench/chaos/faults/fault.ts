import type { ChaosStack, Discovery } from "../stack/chaos-stack.ts";

export interface FaultContext {
  stack: ChaosStack;
  /** PostgreSQL admin URL (for pg_terminate_backend). */
  adminUrl: string;
  log: (line: string) => void;
  /** A finding of this row beyond the table's columns (what a canary's watcher saw, restart times). */
  note: (line: string) => void;
}

/**
 * One fault of the suite: injected under the steady load, held for `holdMs` (0 = a one-shot event
 * such as a reset), then healed; the row is measured around it.
 */
export interface Fault {
  name: string;
  /** The stack it runs on; default "static" (`<PEER>_GRPC_ADDR` through the fault proxies). */
  stack?: Discovery;
  /** Where the goal is zero failed client requests (every fault but overload). */
  zeroFailures: boolean;
  holdMs: number;
  /** Offered load during the hold, as a multiple of the steady rate (overload: 3× capacity). */
  rateDuringHold?: (steadyRate: number, capacity: number) => number;
  inject(ctx: FaultContext): Promise<void> | void;
  heal(ctx: FaultContext): Promise<void> | void;
}
