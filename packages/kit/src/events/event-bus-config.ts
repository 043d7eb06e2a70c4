import { z } from "zod";
import { envTypes } from "../config/env-types.ts";
import { type Env, parseEnv } from "../config/parse-env.ts";

/** Stream settings applied when a producer creates or updates its stream at start. */
export interface EventStreamSettings {
  /** "limits" keeps every event until maxAge (any number of consumers); "interest" drops what every consumer acked. */
  retention: "limits" | "interest";
  /** Copies of each message in a clustered JetStream (1..5). */
  replicas: number;
  /** How long events are kept, in milliseconds. */
  maxAgeMs: number;
  /** Window in which the broker drops a republished Nats-Msg-Id (relay replays), in milliseconds. */
  duplicateWindowMs: number;
}

export interface EventBusConfig {
  /** NATS server URLs from EVENT_BUS_URL (several separated by commas). */
  servers: string[];
  stream: EventStreamSettings;
}

export const DEFAULT_STREAM_SETTINGS: EventStreamSettings = Object.freeze({
  retention: "limits",
  replicas: 1,
  maxAgeMs: 7 * 24 * 3_600_000,
  duplicateWindowMs: 120_000,
});

const NATS_URL = /^(nats|tls):\/\/[^\s/,]+:\d{1,5}$/;

/** The variables the event bus reads; a service's config.ts may spread it into its own schema. */
export const eventBusEnvShape = {
  EVENT_BUS_URL: z
    .string()
    .refine((v) => v.split(",").every((part) => NATS_URL.test(part.trim())), {
      error: "expected nats://host:port (several separated by commas)",
    })
    .optional(),
  EVENT_BUS_STREAM_RETENTION: z
    .enum(["limits", "interest"], { error: "expected limits or interest" })
    .default(DEFAULT_STREAM_SETTINGS.retention),
  EVENT_BUS_STREAM_REPLICAS: envTypes
    .positiveInt(DEFAULT_STREAM_SETTINGS.replicas)
    .refine((n) => n <= 5, { error: "expected 1 to 5" }),
  EVENT_BUS_STREAM_MAX_AGE_SECONDS: envTypes.positiveInt(DEFAULT_STREAM_SETTINGS.maxAgeMs / 1000),
  EVENT_BUS_DUPLICATE_WINDOW_SECONDS: envTypes.positiveInt(DEFAULT_STREAM_SETTINGS.duplicateWindowMs / 1000),
};

const schema = z.object(eventBusEnvShape);

/**
 * Reads EVENT_BUS_URL and the stream settings. Undefined when EVENT_BUS_URL is unset: the service
 * keeps delivering through its database. Throws ConfigError naming the variable at fault.
 */
export function parseEventBusConfig(env: Env): EventBusConfig | undefined {
  return eventBusConfigFrom(parseEnv(schema, env));
}

/** The same, from values already parsed with eventBusEnvShape as part of a service's schema. */
export function eventBusConfigFrom(values: z.output<typeof schema>): EventBusConfig | undefined {
  if (values.EVENT_BUS_URL === undefined) return undefined;
  return Object.freeze({
    servers: values.EVENT_BUS_URL.split(",").map((part) => part.trim()),
    stream: Object.freeze({
      retention: values.EVENT_BUS_STREAM_RETENTION,
      replicas: values.EVENT_BUS_STREAM_REPLICAS,
      maxAgeMs: values.EVENT_BUS_STREAM_MAX_AGE_SECONDS * 1000,
      duplicateWindowMs: values.EVENT_BUS_DUPLICATE_WINDOW_SECONDS * 1000,
    }),
  });
}
