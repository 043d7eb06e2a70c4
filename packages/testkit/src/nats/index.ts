export { eventually, natsServerAvailable, startNatsServer, type TestNatsServer } from "./nats-server.ts";
