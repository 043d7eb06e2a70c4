export { expectRejected } from "./expect-rejected.ts";
export { type RawCallOutcome, rawCall } from "./raw-call.ts";
export { rawUnary } from "./raw-unary.ts";
