import { createRequire } from "node:module";
import { isSpanContextValid, trace } from "@opentelemetry/api";
import pino, { type DestinationStream, type Logger } from "pino";
import type { PrettyOptions } from "pino-pretty";
import { REDACTED, redactSensitive, redactTokens } from "./sensitive-data.ts";

/**
 * pino-pretty (and its colour, date and parsing dependencies) is for a developer's terminal only:
 * loaded on demand, synchronously (createLogger is synchronous), so production never pays for it.
 */
const loadPretty = (): ((options: PrettyOptions) => DestinationStream) =>
  createRequire(import.meta.url)("pino-pretty") as (options: PrettyOptions) => DestinationStream;

export type { Logger } from "pino";

export interface LoggerOptions {
  service: string;
  version: string;
  instance: string;
  level?: string;
  /** Human-readable lines (pino-pretty) instead of JSON; for a terminal, never for production. */
  pretty?: boolean;
  /** Where lines go; stdout by default. Tests pass a stream to read lines back. */
  destination?: DestinationStream;
}

/**
 * Exact paths for what pino serializers produce (`req`/`res` from pino's standard serializers
 * carry headers), which the key-based scrub never sees because it runs before serializers.
 * Only exact paths: a leading `*` makes pino route every key of every line through the redactor
 * (measured: 4-6 times slower per line, message-only lines included).
 */
export const REDACTED_PATHS: readonly string[] = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  // gRPC metadata, should a grpc.Metadata be logged through its getMap()
  "metadata.authorization",
  "err.metadata.authorization",
];

/**
 * A pino JSON logger: `service`, `version`, `instance` on every line, `trace_id`/`span_id`/
 * `trace_flags` on lines written inside a span, credentials and personal data redacted.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: options.service, version: options.version, instance: options.instance },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Every object logged, whatever its shape: see sensitive-data.ts.
        log: (object) => redactSensitive(object),
      },
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
      serializers: { err: serializeError },
      hooks: {
        // The message string and printf-style arguments never pass the `log` formatter: tokens
        // quoted in them ("rejected Bearer eyJ…") are scrubbed here.
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) {
            if (typeof args[i] === "string") args[i] = redactTokens(args[i] as string);
          }
          method.apply(this, args as Parameters<typeof method>);
        },
      },
      // The one log-correlation mechanism: it reads the active span through the OpenTelemetry API,
      // so it works with the `--import` entry, with startTracing, and in no-op form without either.
      // (The tracing entry deliberately does not load instrumentation-pino, which would add the
      // same three fields a second time.)
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const spanContext = span.spanContext();
        if (!isSpanContextValid(spanContext)) return {};
        return {
          trace_id: spanContext.traceId,
          span_id: spanContext.spanId,
          trace_flags: spanContext.traceFlags.toString(16).padStart(2, "0"),
        };
      },
    },
    destinationFor(options),
  );
}

/** pino's error serializer, with tokens quoted in an error's message or stack scrubbed. */
function serializeError(error: Error): ReturnType<typeof pino.stdSerializers.err> {
  const serialized = pino.stdSerializers.err(error);
  if (typeof serialized.message === "string") serialized.message = redactTokens(serialized.message);
  if (typeof serialized.stack === "string") serialized.stack = redactTokens(serialized.stack);
  return serialized;
}

function destinationFor(options: LoggerOptions): DestinationStream {
  if (options.pretty) {
    // In-process and synchronous: a terminal is a developer's, and lines must not be lost at exit.
    // `pnpm start` interleaves four services in one terminal: the service leads each line.
    return loadPretty()({
      translateTime: "SYS:HH:MM:ss.l",
      messageFormat: "{service} | {msg}",
      ignore: "pid,hostname,service,version,instance",
      destination: options.destination ?? 1,
      sync: true,
    });
  }
  return options.destination ?? pino.destination({ fd: 1, sync: false });
}
