import type { FastifyInstance } from "fastify";
import type { Metrics } from "../metrics/index.ts";
import { OPERATIONAL_ROUTE_CONFIG } from "./route-config.ts";

/** GET /metrics: the Prometheus text exposition, with the registry's own content type. */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get(
    "/metrics",
    { config: OPERATIONAL_ROUTE_CONFIG, exposeHeadRoute: false, schema: { hide: true } },
    async (_request, reply) => {
      const { contentType, body } = await metrics.render();
      return reply.type(contentType).send(body);
    },
  );
}
