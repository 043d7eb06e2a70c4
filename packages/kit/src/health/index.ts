export {
  type CheckResult,
  DEFAULT_CHECK_INTERVAL_MS,
  type DependencyCheck,
  Health,
  type HealthOptions,
  type HealthReport,
} from "./health.ts";
export { Lifecycle, type LifecycleState } from "./lifecycle.ts";
