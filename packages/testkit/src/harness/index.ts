export { type ServiceProcess, type SpawnServiceOptions, spawnService } from "./child-process.ts";
export {
  type Env,
  type RunningService,
  type StartedService,
  startInProcess,
  TEST_ENV,
} from "./in-process.ts";
