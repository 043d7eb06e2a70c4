/**
 * Per-peer circuit breaker of the kit's gRPC client: consecutive transient failures open it, one
 * probe is let through after `openMs`, and its state is the rpc_client_circuit_state gauge.
 *
 * Libraries weighed, and why this stays ours:
 * - `opossum`: wraps one async function with its own timeout, rolling-window error percentage and
 *   fallback; our calls already carry deadlines, and what counts as failure (transient codes only;
 *   CANCELLED is neutral and frees a half-open probe) needs a hook it lacks without wrapping errors.
 * - `cockatiel` (ConsecutiveBreaker + circuitBreaker policy): the closest fit, but it is a policy
 *   object executing the call, which would split the retry loop in client-calls.ts in two; ours is
 *   a permit/record pair (~90 lines) the loop calls per attempt.
 */
/** 0 closed, 1 open, 2 half-open: the values of rpc_client_circuit_state. */
export const CircuitState = { CLOSED: 0, OPEN: 1, HALF_OPEN: 2 } as const;
export type CircuitState = (typeof CircuitState)[keyof typeof CircuitState];

/** "probe" is the single attempt a half-open circuit lets through. */
export type Permit = "pass" | "probe";

/** How an attempt ended, as far as the peer's health goes. */
export type AttemptOutcome =
  /** The peer answered (OK or a domain error): it is up. */
  | "success"
  /** Transient failure: unreachable, overloaded, too slow. */
  | "failure"
  /** Says nothing about the peer (we cancelled); a half-open probe slot is released. */
  | "neutral";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe may go through. Default 5000 ms. */
  openMs?: number;
  /** Called on every state change (the metric gauge). */
  onStateChange?: (state: CircuitState) => void;
  /** Clock in milliseconds; tests pass a fake one. */
  now?: () => number;
}

/**
 * A per-peer breaker. Closed: everything passes, consecutive failures are counted. Open: calls fail
 * fast without touching the network. After `openMs`, half-open: exactly one probe passes; its
 * success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #openMs: number;
  readonly #now: () => number;
  readonly #onStateChange: ((state: CircuitState) => void) | undefined;
  #state: CircuitState = CircuitState.CLOSED;
  #failures = 0;
  #openedAt = 0;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = Math.max(1, options.failureThreshold ?? 5);
    this.#openMs = options.openMs ?? 5000;
    this.#now = options.now ?? Date.now;
    this.#onStateChange = options.onStateChange;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /**
   * May an attempt go out now? Undefined: no, fail fast. Otherwise pass the permit to `record` when
   * the attempt ends, so a late answer to an old call is never mistaken for the probe's.
   */
  tryAcquire(): Permit | undefined {
    if (this.#state === CircuitState.CLOSED) return "pass";
    if (this.#state === CircuitState.OPEN) {
      if (this.#now() - this.#openedAt < this.#openMs) return undefined;
      this.#moveTo(CircuitState.HALF_OPEN);
    }
    if (this.#probeInFlight) return undefined;
    this.#probeInFlight = true;
    return "probe";
  }

  record(permit: Permit, outcome: AttemptOutcome): void {
    if (permit === "probe") {
      this.#probeInFlight = false;
      if (outcome === "success") {
        this.#failures = 0;
        this.#moveTo(CircuitState.CLOSED);
      } else if (outcome === "failure") {
        this.#open();
      }
      return;
    }
    if (outcome === "success") {
      this.#failures = 0;
    } else if (outcome === "failure") {
      this.#failures++;
      if (this.#state === CircuitState.CLOSED && this.#failures >= this.#threshold) this.#open();
    }
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#moveTo(CircuitState.OPEN);
  }

  #moveTo(state: CircuitState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#onStateChange?.(state);
  }
}
