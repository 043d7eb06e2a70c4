import type { FastifyInstance } from "fastify";
import { unavailable } from "../errors/index.ts";
import { pathOf, sendProblem } from "./error-handling.ts";
import { toProblem } from "./problem-details.ts";
import { isSheddable } from "./route-config.ts";

/**
 * A cap on requests in progress at once (sheddable routes only): past it a request is answered
 * 503 OVERLOADED with Retry-After at once. The event-loop limit of load-shedding.ts only trips when
 * this process's own loop is saturated; a service whose requests wait on a database or on peers
 * (the order saga) can be flooded with a loop that looks idle, every admitted request getting
 * slower. Size it by Little's law: throughput at the knee x the latency you promise.
 */
export function installInFlightLimit(
  app: FastifyInstance,
  options: { maxInFlight: number; retryAfterSeconds: number },
): { readonly inFlight: number } {
  let inFlight = 0;
  const retryAfter = String(options.retryAfterSeconds);
  app.addHook("onRequest", (request, reply, done) => {
    if (!isSheddable(request.routeOptions.config)) return done();
    if (inFlight >= options.maxInFlight) {
      const problem = toProblem(
        unavailable("OVERLOADED", "server is overloaded; retry later"),
        pathOf(request),
      );
      sendProblem(request, reply, problem, { "retry-after": retryAfter });
      return;
    }
    inFlight++;
    // 'close' fires once however the exchange ends: answered, failed, or the client gone.
    reply.raw.once("close", () => {
      inFlight--;
    });
    done();
  });
  return {
    get inFlight() {
      return inFlight;
    },
  };
}
