import type { DbLogger } from "./database.types.ts";

const noop = () => {};

/** For callers that pass no logger; errors still surface as rejections. */
export const noopLogger: DbLogger = Object.freeze({ info: noop, warn: noop, error: noop });
