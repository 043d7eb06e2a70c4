import type { Message } from "@bufbuild/protobuf";
import { AppError, Code } from "../errors/index.ts";
import type { AdmissionLimit } from "../load/admission-limit.ts";
import type { ServerCallContext } from "./call-context.ts";

type Unary = (request: Message, ctx: ServerCallContext) => Promise<unknown>;

/**
 * Outcomes whose latency tells the admission limit about the load: the call did its work, or ran
 * out of time or of a peer. Refusals of the caller's own making (bad input, no access, rate
 * limited, not found) are fast for reasons of their own and would drag the baseline down.
 */
const MEASURED: ReadonlySet<Code> = new Set([
  Code.OK,
  Code.UNKNOWN,
  Code.DEADLINE_EXCEEDED,
  Code.INTERNAL,
  Code.UNAVAILABLE,
  Code.DATA_LOSS,
]);

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
    try {
      const result = await handler(request, ctx);
      permit.release(true);
      return result;
    } catch (error) {
      permit.release(MEASURED.has(error instanceof AppError ? error.code : Code.INTERNAL));
      throw error;
    }
  };
}
