/**
 * The bare side of the health scenario: fastify with its defaults (no logger, no hooks) answering
 * GET /health with the same JSON as the kit, through the same response schema.
 */
import { randomUUID } from "node:crypto";
import Fastify from "fastify";
import { BENCH_SERVICE, BENCH_VERSION, HEALTH_REPORT_SCHEMA } from "./fixtures.ts";

const startedAt = performance.now();
const instance = `${BENCH_SERVICE}-${randomUUID().slice(0, 8)}`;
const app = Fastify();
app.get("/health", { schema: { response: { 200: HEALTH_REPORT_SCHEMA } } }, async () => ({
  status: "pass",
  state: "SERVING",
  service: BENCH_SERVICE,
  version: BENCH_VERSION,
  instance,
  uptime_seconds: Math.round((performance.now() - startedAt) / 10) / 100,
  checks: {},
}));
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
console.log(JSON.stringify({ ready: true, httpPort: typeof address === "object" ? address?.port : 0 }));

const stop = () => void app.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
