import * as grpc from "@grpc/grpc-js";
import { type AppError, Code, isTransient } from "../errors/index.ts";

export interface CanaryRouterOptions {
  /** Channel to the instances not at the canary version. */
  stable: grpc.Client;
  /** Channel to the instances at the canary version (empty while none is up). */
  canary: grpc.Client;
  /** Share of unflagged calls for the canary, 0 to 1. */
  share: number;
  random?: () => number;
  /** Told each time a call is sent to the canary. */
  onCanary?: () => void;
  /** Told each time an attempt sent to the canary failed on the canary's side. */
  onCanaryError?: () => void;
}

/**
 * Picks the channel of each attempt. A call goes to the canary when it is flagged or falls in the
 * share, and the canary channel is READY: its resolver lists only canary instances, and reports an
 * empty list (TRANSIENT_FAILURE at once) when none passes, so "no canary" or "canary rolled back"
 * sends everything to stable without a failed call. The picks are per attempt, so a retry after a
 * canary that went away lands on stable. If nothing stable is left (all rolled forward), the canary
 * takes every call.
 */
export class CanaryRouter {
  readonly #o: CanaryRouterOptions;
  readonly #random: () => number;

  constructor(options: CanaryRouterOptions) {
    this.#o = options;
    this.#random = options.random ?? Math.random;
    // Connect now, so the canary is ready before the first flagged call rather than after it.
    state(options.canary);
  }

  pick(flagged: boolean): grpc.Client {
    const { canary, stable, share } = this.#o;
    const wanted = flagged || (share > 0 && this.#random() < share);
    const canaryUp = state(canary) === grpc.connectivityState.READY;
    if (canaryUp && (wanted || state(stable) === grpc.connectivityState.TRANSIENT_FAILURE)) {
      this.#o.onCanary?.();
      return canary;
    }
    return stable;
  }

  /** The outcome of an attempt on the channel `pick` gave: a canary's own failures are counted. */
  failed(channel: grpc.Client, error: AppError): void {
    if (channel === this.#o.canary && isCanaryFault(error)) this.#o.onCanaryError?.();
  }

  close(): void {
    this.#o.stable.close();
    this.#o.canary.close();
  }
}

/** The channel's state, asking an idle one to connect. */
function state(client: grpc.Client): grpc.connectivityState {
  return client.getChannel().getConnectivityState(true);
}

/** Failures that say the instance is broken, not that the request was (a domain refusal is an answer). */
function isCanaryFault(error: AppError): boolean {
  return (
    isTransient(error) ||
    error.code === Code.INTERNAL ||
    error.code === Code.UNKNOWN ||
    error.code === Code.UNIMPLEMENTED ||
    error.code === Code.DATA_LOSS
  );
}
