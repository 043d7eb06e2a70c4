export { type BackgroundTask, intervalTask } from "./background-task.ts";
export { Service, type ServiceOptions, type StartedAddresses } from "./create-service.ts";
export {
  connectServiceEventBus,
  type ServiceMain,
  type ServiceMainDefinition,
  serviceMain,
} from "./service-main.ts";
