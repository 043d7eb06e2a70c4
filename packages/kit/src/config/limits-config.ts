import { z } from "zod";
import { envTypes } from "./env-types.ts";
import { type Env, parseEnv } from "./parse-env.ts";

/**
 * Request limits every service applies, read once with the rest of the service config.
 * `RATE_LIMIT_PER_MINUTE` (default 600, `0` turns rate limiting off, as load tests do) is each
 * token subject's budget, or each client IP's without a token, shared by HTTP and gRPC.
 * `REDIS_URL` puts the counters in Redis so every replica draws on one budget; without it each
 * process counts in memory. `HTTP_BODY_LIMIT_BYTES` (default 1 MiB) and
 * `GRPC_MAX_MESSAGE_BYTES` (default 4 MiB) bound one request: the largest valid order (100 lines of
 * 64-character SKUs, every text field at its maximum in 4-byte characters) is 12.6 KB of JSON, so
 * both leave ample room while one request still cannot pin more than a few MiB.
 */
export interface LimitsConfig {
  rateLimit: {
    /** Requests per subject (or IP) per minute; 0 means off. */
    perMinute: number;
    /** `redis://…` when counters are shared through Redis. */
    redisUrl: string | undefined;
  };
  httpBodyLimitBytes: number;
  grpcMaxMessageBytes: number;
}

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export const DEFAULT_HTTP_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_GRPC_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** The variables, merged into the service config's schema so one error lists every bad variable. */
export const LIMITS_ENV_SHAPE = {
  RATE_LIMIT_PER_MINUTE: envTypes.nonNegativeInt(DEFAULT_RATE_LIMIT_PER_MINUTE),
  REDIS_URL: z
    .string()
    .refine((v) => /^rediss?:\/\/.+/.test(v), { error: "expected redis://host:port or rediss://host:port" })
    .optional(),
  HTTP_BODY_LIMIT_BYTES: envTypes.positiveInt(DEFAULT_HTTP_BODY_LIMIT_BYTES),
  GRPC_MAX_MESSAGE_BYTES: envTypes.positiveInt(DEFAULT_GRPC_MAX_MESSAGE_BYTES),
};

type LimitsEnv = z.output<z.ZodObject<typeof LIMITS_ENV_SHAPE>>;

/** The config from variables parsed with LIMITS_ENV_SHAPE. */
export function limitsFrom(raw: LimitsEnv): LimitsConfig {
  return {
    rateLimit: { perMinute: raw.RATE_LIMIT_PER_MINUTE, redisUrl: raw.REDIS_URL },
    httpBodyLimitBytes: raw.HTTP_BODY_LIMIT_BYTES,
    grpcMaxMessageBytes: raw.GRPC_MAX_MESSAGE_BYTES,
  };
}

/** On its own (tools, tests); throws ConfigError naming the variable at fault. */
export function parseLimitsConfig(env: Env): LimitsConfig {
  return limitsFrom(parseEnv(z.object(LIMITS_ENV_SHAPE), env));
}
