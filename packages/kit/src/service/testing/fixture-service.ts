// Runnable fixture: `node --import @orderly/kit/tracing/register src/service/testing/fixture-service.ts`
// (from packages/kit). Config comes from the environment like a real service's (HTTP_PORT,
// GRPC_PORT, CONSUL_HTTP_ADDR, SHUTDOWN_*, plus FIXTURE_SLOW_MS and FIXTURE_HOLD_UNTIL_DRAIN);
// invalid config exits 78 before anything listens; SIGTERM/SIGINT stop it gracefully. It prints the
// kit's JSON log lines on stdout, the "serving" one carrying httpPort and grpcPort.
import { loadOrExit } from "../../config/index.ts";
import { createFixtureService, loadFixtureConfig } from "./fixture-app.ts";

const config = loadOrExit(() => loadFixtureConfig(process.env));
const service = await createFixtureService(config);
service.stopOnSignals();
await service.start();
