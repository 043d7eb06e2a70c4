/**
 * What the load generator knows about the orders it created: every acknowledged (2xx / OK) order
 * id with the status it was answered with, and every request still without an answer. The
 * consistency check compares this with the databases; unanswered requests are replayed with the
 * same idempotency key first (as a real client retries), so every order has an acknowledgement.
 */
export class OrderLedger {
  /** order id -> last status seen */
  readonly orders = new Map<string, string>();
  /** order id -> the idempotency key that created it */
  readonly #keyOf = new Map<string, string>();
  /** Requests sent and not (yet) answered with a 2xx/OK: idempotency key -> how to send it again. */
  readonly outstanding = new Map<string, () => Promise<{ id: string; status: string } | undefined>>();
  /** Two different idempotency keys answered with the same order id. */
  readonly duplicates: string[] = [];
  /** Every acknowledgement received (measured runs, warm-ups and replays). */
  acknowledgements = 0;
  replayed = 0;

  sent(key: string, replay: () => Promise<{ id: string; status: string } | undefined>): void {
    this.outstanding.set(key, replay);
  }

  answered(key: string, id: string, status: string): void {
    this.outstanding.delete(key);
    this.acknowledgements++;
    const firstKey = this.#keyOf.get(id);
    if (firstKey === undefined) this.#keyOf.set(id, key);
    else if (firstKey !== key) this.duplicates.push(id);
    this.orders.set(id, status);
  }

  /** Sends every unanswered request again (same key, same body), a few at a time. */
  async replayOutstanding(concurrency = 8): Promise<{ replayed: number; failed: number }> {
    const entries = [...this.outstanding.entries()];
    let failed = 0;
    for (let i = 0; i < entries.length; i += concurrency) {
      await Promise.all(
        entries.slice(i, i + concurrency).map(async ([key, replay]) => {
          const answer = await replay().catch(() => undefined);
          if (answer) this.answered(key, answer.id, answer.status);
          else failed++;
        }),
      );
    }
    this.replayed += entries.length;
    return { replayed: entries.length, failed };
  }

  ids(): string[] {
    return [...this.orders.keys()];
  }

  pendingIds(): string[] {
    return [...this.orders].filter(([, status]) => status === "PENDING").map(([id]) => id);
  }
}
