import { createRequire } from "node:module";
import type pgModule from "pg";
import { skipUnrecordedPgSpans } from "./pg-unrecorded-spans.ts";

/**
 * node-postgres, loaded through `require` rather than `import`. pg's `import` entry is an ES
 * wrapper (esm/index.mjs) over its CommonJS build, and for an ES module the tracing hook
 * (import-in-the-middle) must lex the source to wrap its exports: that instantiates
 * es-module-lexer's WebAssembly (16 MB of memory reserved for the life of the process: `external`
 * 20.5 -> 4.5 MB on inventory, mostly untouched pages, so RSS hardly moves) and generate a wrapper
 * module on every start. Required, pg reaches the instrumentation through require-in-the-middle,
 * which patches the same classes: the same pg-pool.connect and pg.query spans (checked with
 * OTEL_TRACES_EXPORTER=console).
 */
export const pg: typeof pgModule = createRequire(import.meta.url)("pg");
skipUnrecordedPgSpans(pg);
