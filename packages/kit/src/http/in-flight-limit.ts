import type { FastifyInstance } from "fastify";
import type { Counter } from "prom-client";
import { Code, httpStatusOf } from "../errors/index.ts";
import type { AdmissionLimit } from "../load/admission-limit.ts";
import { feedsLimit } from "../load/feeds-limit.ts";
import { overloadedError } from "../load/shedding.ts";
import { pathOf, sendProblem } from "./error-handling.ts";
import { toProblem } from "./problem-details.ts";
import { isSheddable } from "./route-config.ts";

/**
 * The admission limit on HTTP (sheddable routes only): past it a request is answered 503
 * OVERLOADED with Retry-After at once. The event-loop limit of load-shedding.ts only trips when
 * this process's own loop is saturated; a service whose requests wait on a database or on peers
 * (the order saga) can be flooded with a loop that looks idle, every admitted request getting
 * slower. The limit (adaptive by default, see load/gradient-limit.ts) keeps that queue short.
 */
export function installAdmissionLimit(
  app: FastifyInstance,
  admission: AdmissionLimit,
  options: { retryAfterSeconds: number; shed?: Counter<"transport" | "cause"> | undefined },
): void {
  const retryAfter = String(options.retryAfterSeconds);
  app.addHook("onRequest", (request, reply, done) => {
    if (!isSheddable(request.routeOptions.config)) return done();
    const permit = admission.tryAcquire();
    if (!permit) {
      options.shed?.labels("http", "in_flight").inc();
      const problem = toProblem(
        overloadedError("in_flight", options.retryAfterSeconds * 1000),
        pathOf(request),
      );
      sendProblem(request, reply, problem, { "retry-after": retryAfter });
      return;
    }
    // 'close' fires once however the exchange ends: answered, failed, or the client gone.
    reply.raw.once("close", () => permit.release(feedsLimit(codeOfAnswer(reply.statusCode))));
    done();
  });
}

/** Each HTTP status `httpStatusOf` gives, back to the first code that maps to it (500 -> UNKNOWN). */
const CODE_OF_STATUS: ReadonlyMap<number, Code> = new Map(
  Object.values(Code)
    .toReversed()
    .map((code) => [httpStatusOf(code), code]),
);

/**
 * The kit Code an HTTP answer stands for, for the admission limit's `feedsLimit`: a status below
 * 400 is a success; one of the error model's statuses is its code; any other 4xx (405, 413, 415…
 * from the framework) a refusal of the request as sent; any other 5xx a server error.
 */
export function codeOfAnswer(status: number): Code {
  if (status < 400) return Code.OK;
  return CODE_OF_STATUS.get(status) ?? (status < 500 ? Code.INVALID_ARGUMENT : Code.UNKNOWN);
}
