import {
  type Health as HealthServiceDesc,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@orderly/contracts/grpc-health";
import { notFound } from "../errors/index.ts";
import type { Health } from "../health/index.ts";
import type { CallContext } from "./call-context.ts";
import type { ServiceImplementation } from "./service-types.ts";

/**
 * grpc.health.v1.Health driven by the process's Health: "" and every served service are SERVING
 * exactly when `health.readyNow()`, so gRPC health flips with /health/ready and the Consul check.
 */
export function healthImplementation(
  health: Health,
  knownServices: ReadonlySet<string>,
): ServiceImplementation<typeof HealthServiceDesc> {
  const statusOf = (service: string) => {
    if (!knownServices.has(service)) return ServingStatus.SERVICE_UNKNOWN;
    return health.readyNow() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  };

  return {
    async check(request) {
      const status = statusOf(request.service);
      if (status === ServingStatus.SERVICE_UNKNOWN) {
        throw notFound("SERVICE_UNKNOWN", `unknown service "${request.service}"`);
      }
      return { status };
    },

    // Per the health protocol: the current status at once, then every change; SERVICE_UNKNOWN for a
    // name we do not serve, and the stream stays open. It ends on cancel or when the server drains.
    async *watch(request, ctx: CallContext) {
      const { signal } = ctx;
      let wake: (() => void) | undefined;
      const wakeUp = () => wake?.();
      const unsubscribe = health.onReadinessChange(wakeUp);
      signal.addEventListener("abort", wakeUp);
      try {
        let last: ServingStatus | undefined;
        while (!signal.aborted) {
          const status = statusOf(request.service);
          if (status !== last) {
            last = status;
            yield { status };
            continue;
          }
          // Changes that happen while the client is slow collapse into the latest status.
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        unsubscribe();
        signal.removeEventListener("abort", wakeUp);
      }
    },
  };
}
