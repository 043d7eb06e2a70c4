/**
 * Invoice numbers a numbering pass of this process just assigned, by invoice id: the issue that
 * woke the pass reads its own number from here instead of asking the database again. A number never
 * changes once assigned, so an entry cannot go stale; each is handed out once. Entries nobody takes
 * (invoices another replica issued, numbered by this one) are dropped oldest first past `capacity`,
 * and a miss just falls back to the query.
 */
export class RecentNumbers {
  readonly #numbers = new Map<string, string>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  add(id: string, number: string): void {
    this.#numbers.set(id, number);
    if (this.#numbers.size > this.#capacity) {
      const oldest = this.#numbers.keys().next();
      if (!oldest.done) this.#numbers.delete(oldest.value);
    }
  }

  /** The number assigned to `id`, once; undefined if this process did not just number it. */
  take(id: string): string | undefined {
    const number = this.#numbers.get(id);
    if (number !== undefined) this.#numbers.delete(id);
    return number;
  }
}
