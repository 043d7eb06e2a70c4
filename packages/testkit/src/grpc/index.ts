export { expectRejected } from "./expect-rejected.ts";
export { type RawAnswer, RawCaller } from "./raw-caller.ts";
export { rawUnary } from "./raw-unary.ts";
