import type { Principal } from "./principal.ts";

/**
 * Tokens already verified, so a client sending the same bearer token on every request pays for one
 * signature check, not one per request (ES256 verification is most of the gate's CPU). An entry
 * lives at most `maxAgeMs`, which the caller sets no longer than its key source would take to
 * notice a removed key, and never past the token's own expiry: caching changes neither when a
 * revoked key stops working nor when an expired token is refused.
 */
export class VerifiedTokens {
  readonly #maxAgeMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { principal: Principal; until: number }>();

  constructor(options: { maxAgeMs: number; maxEntries?: number; now?: () => number }) {
    this.#maxAgeMs = options.maxAgeMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The principal of a token verified earlier and still fresh, else undefined. */
  get(token: string): Principal | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (this.#now() < entry.until) return entry.principal;
    this.#entries.delete(token);
    return undefined;
  }

  /** Remembers a token that just passed verification; `expiresAtMs` is its `exp` claim. */
  remember(token: string, principal: Principal, expiresAtMs: number): void {
    if (this.#maxAgeMs <= 0) return;
    const until = Math.min(this.#now() + this.#maxAgeMs, expiresAtMs);
    if (until <= this.#now()) return;
    // Oldest first out: a flood of distinct tokens cannot grow the map without bound.
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(token, { principal, until });
  }
}
