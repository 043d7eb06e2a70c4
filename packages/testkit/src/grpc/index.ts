export { expectRejected } from "./expect-rejected.ts";
export { rawUnary } from "./raw-unary.ts";
