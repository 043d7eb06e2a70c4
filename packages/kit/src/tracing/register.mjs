// The `--import` entry every service starts with (`@orderly/kit/tracing/register`), deliberately
// plain JavaScript: Node loads its TypeScript stripper (a WebAssembly module, ~18 MB of RSS and up
// to a second of CPU on this 2-core box) for the first `.ts` file it compiles, and the compile cache
// can only spare it for files loaded after the cache is on. Enabled here, before any `.ts` module, a
// restart finds every module (register.ts, main.ts and the kit) stripped and compiled in the cache
// and never loads the stripper at all. Everything else lives in register.ts.
//
// The cache sits in NODE_COMPILE_CACHE when set, else in the OS temp directory; where it cannot be
// written Node compiles as before. Node writes it when the process exits (a graceful stop does; a
// SIGKILLed process leaves the cache as the previous run wrote it).
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("./register.ts");
