import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type GcFunction = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

/**
 * Once a service is serving, what start-up left behind is released, once, by one memory-reducing
 * full GC. Compiling some 1,500 modules grows V8's young generation to its maximum (64 MB
 * committed, ~3 MB of it live once idle: measured with bench/src/experiments/module-census.mjs),
 * and V8 does not shrink it while the process idles; a "last resort" collection (what V8 runs on a
 * low-memory notification) compacts the old generation and shrinks the young one back. Measured on
 * inventory: idle RSS 157 -> 105 MB, one pause of 0.1-0.5 s on this shared box; on the bundled
 * build, 16.9 MB over bare grpc-js against 31.7 MB with a regular major GC (bench restart, 01:08,
 * load 7). The price is paid per request: V8 grows the young generation back only when objects
 * survive, so under a load whose garbage dies young (GET /health) it stays small and scavenges
 * ~5 times per 1,000 requests instead of ~0.4 (perf-request's --trace-gc runs, 2026-12-08): a few
 * microseconds a request, the same regime a bare fastify process is in once V8 shrank it idle.
 *
 * (Writing the compile cache out here with module.flushCompileCache() was tried: a process that
 * had flushed then hung on a second SIGTERM instead of exiting (graceful-shutdown.test.ts), so the
 * cache is written when the process exits, as Node does by default.)
 *
 * Node exposes no API for that collection: the `gc` function is obtained from a fresh context once
 * `--expose-gc` is set at run time (it never appears on this context's globalThis).
 */
export function releaseStartupMemory(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as GcFunction | undefined;
  gc?.({ type: "major", execution: "sync", flavor: "last-resort" });
}
