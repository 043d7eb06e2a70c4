import type { Message } from "@bufbuild/protobuf";
import { AppError, Code } from "../errors/index.ts";
import type { AdmissionLimit } from "../load/admission-limit.ts";
import { feedsLimit } from "../load/feeds-limit.ts";
import type { ServerCallContext } from "./call-context.ts";

type Unary = (request: Message, ctx: ServerCallContext) => Promise<unknown>;

/**
 * A unary handler behind the admission limit: past the limit the call ends with `refusal()` before
 * any guard or handler runs (refused before any work, so the caller may retry it anywhere), else it
 * holds a permit until its handler settles. Server-streaming calls are not limited: a watch is
 * long-lived and mostly idle, and would hold a permit, and skew the latency, for its whole life.
 */
export function admittedUnary(handler: Unary, admission: AdmissionLimit, refusal: () => AppError): Unary {
  return async (request, ctx) => {
    const permit = admission.tryAcquire();
    if (!permit) throw refusal();
    // What a handler throws that is not an AppError ends the call INTERNAL (see error-mapping.ts).
    let outcome: Code = Code.INTERNAL;
    try {
      const result = await handler(request, ctx);
      outcome = Code.OK;
      return result;
    } catch (error) {
      if (error instanceof AppError) outcome = error.code;
      throw error;
    } finally {
      permit.release(feedsLimit(outcome));
    }
  };
}
