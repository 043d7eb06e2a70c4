import { z } from "zod";
import { envTypes } from "./env-types.ts";

/**
 * How many requests (HTTP) or unary calls (gRPC) one instance works on at once; past it, new ones
 * are refused at once (503 OVERLOADED + Retry-After, UNAVAILABLE OVERLOADED + RetryInfo).
 * - `adaptive`: the limit follows the latency of admitted requests against their minimum
 *   (packages/kit/src/load/gradient-limit.ts), between `minLimit` and `maxLimit`.
 * - `static`: exactly `limit`, whatever the latency.
 * - `off`: no limit.
 */
export type AdmissionPolicy =
  | { readonly mode: "adaptive"; readonly minLimit: number; readonly maxLimit: number }
  | { readonly mode: "static"; readonly limit: number }
  | { readonly mode: "off" };

/** One policy, sized per transport: their requests cost differently, so each has its own limit. */
export interface AdmissionConfig {
  http: AdmissionPolicy;
  grpc: AdmissionPolicy;
}

export const ADMISSION_MODES = ["adaptive", "static", "off"] as const;
export const DEFAULT_ADMISSION_MIN_LIMIT = 4;
/** The adaptive limit's ceiling when no fixed cap is set for the transport. */
export const DEFAULT_ADMISSION_MAX_LIMIT = 1000;
export const DEFAULT_MAX_GRPC_IN_FLIGHT = 1000;

/**
 * The variables, merged into the service config's schema so one error lists every bad variable.
 * `LOAD_ADMISSION` (default static) picks the mode; `LOAD_MAX_IN_FLIGHT` (HTTP, default 0) and
 * `LOAD_MAX_GRPC_IN_FLIGHT` (gRPC, default 1000) keep their meaning as fixed caps: the limit itself
 * when static, the adaptive limit's ceiling when adaptive (0: no cap, so off when static and
 * 1000 when adaptive). `LOAD_ADMISSION_MIN_LIMIT` (default 4) is the adaptive floor, so a latency
 * rise that is not overload (a slow peer) never starves the instance.
 *
 * Static is the default because adaptive refuses what it is built to refuse, bursts included: in
 * test/e2e/order-saga.e2e.test.ts a burst of 100 sagas (2 s each on a 2-core machine) brings the
 * order service's gRPC limit down, and the 100 GetOrder polls that follow are partly shed. Turn
 * it on where overload is expected (bench/chaos does, on the order replicas).
 */
export const ADMISSION_ENV_SHAPE = {
  LOAD_ADMISSION: z.enum(ADMISSION_MODES, { error: "expected adaptive, static or off" }).default("static"),
  LOAD_ADMISSION_MIN_LIMIT: envTypes.positiveInt(DEFAULT_ADMISSION_MIN_LIMIT),
  LOAD_MAX_IN_FLIGHT: envTypes.nonNegativeInt(0),
  LOAD_MAX_GRPC_IN_FLIGHT: envTypes.nonNegativeInt(DEFAULT_MAX_GRPC_IN_FLIGHT),
};

type AdmissionEnv = z.output<z.ZodObject<typeof ADMISSION_ENV_SHAPE>>;

/** The config from variables parsed with ADMISSION_ENV_SHAPE. */
export function admissionFrom(raw: AdmissionEnv): AdmissionConfig {
  const policy = (cap: number): AdmissionPolicy => {
    if (raw.LOAD_ADMISSION === "off") return { mode: "off" };
    if (raw.LOAD_ADMISSION === "static") return cap > 0 ? { mode: "static", limit: cap } : { mode: "off" };
    const maxLimit = cap > 0 ? cap : DEFAULT_ADMISSION_MAX_LIMIT;
    return { mode: "adaptive", minLimit: Math.min(raw.LOAD_ADMISSION_MIN_LIMIT, maxLimit), maxLimit };
  };
  return { http: policy(raw.LOAD_MAX_IN_FLIGHT), grpc: policy(raw.LOAD_MAX_GRPC_IN_FLIGHT) };
}
