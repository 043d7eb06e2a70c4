export type {
  AgentCheckView,
  AgentServiceView,
  CheckStatus,
  ConsulAgentEvent,
  ConsulTestAgent,
  ConsulTestAgentOptions,
  WaitForEventOptions,
} from "./consul-agent.types.ts";
export { startConsulTestAgent } from "./consul-test-agent.ts";
export { parseGoDuration } from "./go-duration.ts";
