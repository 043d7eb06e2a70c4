export { expectRejected } from "./expect-rejected.ts";
export { type RawCallOutcome, rawCall } from "./raw-call.ts";
export { type RawAnswer, RawCaller } from "./raw-caller.ts";
export { rawUnary } from "./raw-unary.ts";
