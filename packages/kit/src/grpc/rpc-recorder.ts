import type { Histogram } from "prom-client";
import { type AppError, Code } from "../errors/index.ts";
import type { Logger } from "../log/index.ts";

type RpcLabels = "rpc_service" | "rpc_method" | "rpc_grpc_status_code";
type Observer = { observe(value: number): void };

/**
 * Duration histogram and log line for one method on one side (server or client). Label children are
 * resolved once per status code, so a call costs one array read and one observe.
 */
export class RpcRecorder {
  readonly log: Logger;
  readonly #histogram: Histogram<RpcLabels>;
  readonly #service: string;
  readonly #method: string;
  readonly #byCode: (Observer | undefined)[] = [];

  constructor(histogram: Histogram<RpcLabels>, service: string, method: string, log: Logger) {
    this.#histogram = histogram;
    this.#service = service;
    this.#method = method;
    this.log = log;
  }

  /** Records a finished call; `startedAt` is a performance.now() reading. */
  record(code: Code, startedAt: number, message: string, error?: AppError): void {
    const ms = performance.now() - startedAt;
    this.#observer(code).observe(ms / 1000);
    const level = logLevelOf(code);
    if (!this.log.isLevelEnabled(level)) return;
    const durationMs = Math.round(ms * 1000) / 1000;
    if (!error) {
      this.log[level]({ rpc_grpc_status_code: code, duration_ms: durationMs }, message);
    } else if (level === "error") {
      // The cause (the original throw) is what someone debugging needs; it never reaches the wire.
      this.log.error(
        {
          rpc_grpc_status_code: code,
          duration_ms: durationMs,
          reason: error.reason,
          err: error.cause ?? error,
        },
        message,
      );
    } else {
      this.log[level](
        { rpc_grpc_status_code: code, duration_ms: durationMs, reason: error.reason, error: error.message },
        message,
      );
    }
  }

  #observer(code: Code): Observer {
    let observer = this.#byCode[code];
    if (!observer) {
      // OTel semconv rpc.grpc.status_code: the numeric code.
      observer = this.#histogram.labels(this.#service, this.#method, String(code));
      this.#byCode[code] = observer;
    }
    return observer;
  }
}

export type RpcLogLevel = "debug" | "info" | "warn" | "error";

/**
 * debug for OK (one line per call would flood info), info for outcomes the domain expects,
 * warn for transient trouble, error for bugs and broken contracts.
 */
export function logLevelOf(code: Code): RpcLogLevel {
  switch (code) {
    case Code.OK:
      return "debug";
    case Code.UNAVAILABLE:
    case Code.DEADLINE_EXCEEDED:
      return "warn";
    case Code.UNKNOWN:
    case Code.INTERNAL:
    case Code.DATA_LOSS:
    case Code.UNIMPLEMENTED:
      return "error";
    default:
      return "info";
  }
}
