import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { unavailable } from "../errors/index.ts";
import { pathOf, sendProblem } from "./error-handling.ts";
import type { EventLoopDelaySource } from "./event-loop-delay.ts";
import { toProblem } from "./problem-details.ts";
import { isSheddable } from "./route-config.ts";

export interface LoadSheddingOptions {
  /** Above this event-loop delay, sheddable requests get 503 OVERLOADED. */
  maxEventLoopDelayMs: number;
  /** The Retry-After header on shed requests. Default 1. */
  retryAfterSeconds?: number;
  /** Default: a sampled `monitorEventLoopDelay`. Tests inject a fake. */
  delaySource?: EventLoopDelaySource;
}

/** Called from an onRequest hook: true to go on, false when it has already answered 503. */
export type Admit = (request: FastifyRequest, reply: FastifyReply) => boolean;

export interface AdmissionControlOptions {
  loadShedding: (LoadSheddingOptions & { delaySource: EventLoopDelaySource }) | false;
}

/**
 * Turns work away before it starts, with a 503 problem the client can retry elsewhere:
 * - under event-loop pressure (OVERLOADED + Retry-After): answering fast beats answering late,
 *   and every request admitted now makes all the others later;
 * - while the server drains (SHUTTING_DOWN + Connection: close): requests still arriving on
 *   kept-alive connections go to another replica, and responses to requests already in flight
 *   close their connection so close() is not held open by idle keep-alive sockets.
 * Routes with `config.shed === false` (probes, scrapes) are always admitted. The common case costs
 * one boolean and one number comparison; the route config is read only when rejecting.
 */
export function createAdmissionControl(app: FastifyInstance, options: AdmissionControlOptions): Admit {
  let draining = false;
  app.addHook("preClose", (done) => {
    draining = true;
    done();
  });
  // A request in flight when close() began answers normally, but on a keep-alive socket that would
  // then sit idle and hold close() open until the drain timeout: tell the client and Node to close
  // the connection after this response.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (draining) reply.header("connection", "close");
    done(null, payload);
  });

  const shedding = options.loadShedding;
  const source = shedding ? shedding.delaySource : undefined;
  const maxDelayMs = shedding ? shedding.maxEventLoopDelayMs : Number.POSITIVE_INFINITY;
  const retryAfter = String(shedding ? (shedding.retryAfterSeconds ?? 1) : 1);
  let overloaded = false;

  if (source) {
    app.addHook("onReady", (done) => {
      source.start();
      done();
    });
    app.addHook("onClose", (_instance, done) => {
      source.stop();
      done();
    });
  }

  return (request, reply) => {
    const delayMs = source ? source.delayMs() : 0;
    const pressure = delayMs > maxDelayMs;
    if (pressure !== overloaded) {
      // One line per transition, never per shed request: the log must not add to the overload.
      overloaded = pressure;
      if (pressure)
        app.log.warn({ event_loop_delay_ms: delayMs, max_ms: maxDelayMs }, "overloaded: shedding load");
      else app.log.info({ event_loop_delay_ms: delayMs }, "load back to normal: admitting all requests");
    }
    if ((!pressure && !draining) || !isSheddable(request.routeOptions.config)) return true;
    if (draining) {
      const problem = toProblem(
        unavailable("SHUTTING_DOWN", "server is shutting down; retry"),
        pathOf(request),
      );
      sendProblem(request, reply, problem, { connection: "close" });
      return false;
    }
    const problem = toProblem(
      unavailable("OVERLOADED", "server is overloaded; retry later"),
      pathOf(request),
    );
    sendProblem(request, reply, problem, { "retry-after": retryAfter });
    return false;
  };
}
