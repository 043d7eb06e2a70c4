export type * from "./consul-agent.types.ts";
export { startConsulTestAgent } from "./consul-test-agent.ts";
export { parseGoDuration } from "./go-duration.ts";
