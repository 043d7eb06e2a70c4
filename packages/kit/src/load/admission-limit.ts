import type { AdmissionPolicy } from "../config/admission-config.ts";
import { type ConcurrencyLimit, FixedLimit } from "./concurrency-limit.ts";
import { GradientLimit } from "./gradient-limit.ts";

/** A request let in. Release it once, when it is over, whatever the outcome. */
export interface AdmissionPermit {
  /**
   * `measured`: its latency tells the limit about the load; `feedsLimit(code)` (feeds-limit.ts)
   * says which outcomes do. A request refused early (bad input, no access, rate limited) is fast
   * for reasons of its own and would make the baseline lie: release it unmeasured.
   */
  release(measured: boolean): void;
}

/**
 * The admission limit of one transport of one instance: the requests in flight against a limit
 * (fixed or adaptive), refusing at once past it. The same object serves HTTP (a fastify hook) and
 * gRPC (a wrapper around unary handlers); health, metrics and reflection never pass through it.
 */
export class AdmissionLimit {
  readonly #algorithm: ConcurrencyLimit;
  readonly #now: () => number;
  #inFlight = 0;

  constructor(algorithm: ConcurrencyLimit, now: () => number = () => performance.now()) {
    this.#algorithm = algorithm;
    this.#now = now;
  }

  get limit(): number {
    return this.#algorithm.limit;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** A permit, or undefined when the limit is reached (the caller refuses the request). */
  tryAcquire(): AdmissionPermit | undefined {
    const startedAt = this.#now();
    if (this.#inFlight >= this.#algorithm.limit) {
      this.#algorithm.onRejected(startedAt);
      return undefined;
    }
    const inFlight = ++this.#inFlight;
    let released = false;
    return {
      release: (measured) => {
        if (released) return;
        released = true;
        this.#inFlight--;
        if (!measured) return;
        const at = this.#now();
        this.#algorithm.onSample({ rttMs: at - startedAt, inFlight, at });
      },
    };
  }
}

/** The limit a policy asks for; undefined when admission is off. */
export function admissionLimitFor(policy: AdmissionPolicy, now?: () => number): AdmissionLimit | undefined {
  switch (policy.mode) {
    case "off":
      return undefined;
    case "static":
      return new AdmissionLimit(new FixedLimit(policy.limit), now);
    case "adaptive":
      return new AdmissionLimit(
        new GradientLimit({ minLimit: policy.minLimit, maxLimit: policy.maxLimit }),
        now,
      );
  }
}
