export {
  type CheckResult,
  type DependencyCheck,
  Health,
  type HealthOptions,
  type HealthReport,
} from "./health.ts";
export { Lifecycle, type LifecycleState } from "./lifecycle.ts";
