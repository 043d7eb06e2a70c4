import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { unavailable } from "../errors/index.ts";
import { pathOf, sendProblem } from "./error-handling.ts";
import { toProblem } from "./problem-details.ts";
import { isSheddable } from "./route-config.ts";

/** Called from the onRequest hook: true to go on, false when it has already answered 503. */
export type Admit = (request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Turns work away while the server drains (503 SHUTTING_DOWN + Connection: close): requests still
 * arriving on kept-alive connections go to another replica, and responses to requests already in
 * flight close their connection so close() is not held open by idle keep-alive sockets. Probes and
 * scrapes (`config.shed === false`) are always admitted. Load (event loop, heap, RSS) is
 * @fastify/under-pressure's business (load-shedding.ts); this costs one boolean per request.
 */
export function createDrainGuard(app: FastifyInstance): Admit {
  let draining = false;
  app.addHook("preClose", (done) => {
    draining = true;
    done();
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (draining) reply.header("connection", "close");
    done(null, payload);
  });

  return (request, reply) => {
    if (!draining || !isSheddable(request.routeOptions.config)) return true;
    const problem = toProblem(
      unavailable("SHUTTING_DOWN", "server is shutting down; retry"),
      pathOf(request),
    );
    // Retry-After: another replica can take it now; a client with one address waits a second.
    sendProblem(request, reply, problem, { connection: "close", "retry-after": "1" });
    return false;
  };
}
