export { type BackgroundTask, intervalTask } from "./background-task.ts";
export { Service, type ServiceOptions, type StartedAddresses } from "./create-service.ts";
export {
  type ComposedApp,
  connectServiceEventBus,
  type ServedApi,
  type ServiceMain,
  type ServiceMainDefinition,
  servedApi,
  serviceMain,
} from "./service-main.ts";
