/**
 * The kit side of the kit-vs-bare scenarios: a service built exactly as a real one is
 * (`Service.create` from @orderly/kit/service: logger, metrics, health, fastify with the HTTP
 * contract, GrpcServer with error mapping, metrics, per-call logs, deadline propagation, health and
 * reflection), without a database. It serves InventoryService with GetItem answering a fixed item.
 * run.ts starts it the production way (`--import @orderly/kit/tracing/register`, OTEL_SDK_DISABLED
 * unset, no exporter) and reads its ports from the kit's "serving" log line.
 */
import { InventoryService } from "@orderly/contracts/inventory";
import { loadOrExit, loadServiceConfig } from "@orderly/kit/config";
import { partialService } from "@orderly/kit/grpc";
import { Service } from "@orderly/kit/service";
import { BENCH_SERVICE, BENCH_VERSION } from "./fixtures.ts";
import { FIXED_ITEM } from "./item-fixture.ts";

const config = loadOrExit(() =>
  loadServiceConfig(
    { name: BENCH_SERVICE, version: BENCH_VERSION, defaultHttpPort: 0, defaultGrpcPort: 0 },
    process.env,
  ),
);
const service = await Service.create({ config });

service.grpc.add(
  InventoryService,
  partialService(InventoryService, {
    getItem: async () => ({ item: FIXED_ITEM }),
  }),
);
await service.start();
service.stopOnSignals();
