import type { BackgroundTask } from "@orderly/kit/service";
import type { InvoiceNumbering } from "../domain/ports/invoice-numbering.port.ts";

export interface InvoiceNumbererOptions {
  /** One numbering pass (the NumberPendingInvoices use case). */
  numberPending: () => Promise<number>;
  /**
   * The safety net: a pass this often even when nobody asks, for invoices whose issuer died between
   * its commit and its wake-up call, or whose pass failed.
   */
  intervalMs: number;
  onError: (error: unknown) => void;
}

/**
 * The numberer inside each invoice replica: runs numbering passes one at a time, when IssueInvoice
 * asks (numberSoon) and on a timer. Requests that arrive during a pass share the single pass that
 * follows it, so a burst of issues costs a few batched transactions, not one each. Several replicas'
 * numberers may run at once: the repository keeps their numbers gapless and distinct.
 */
export class InvoiceNumberer implements InvoiceNumbering, BackgroundTask {
  readonly name = "invoice-numberer";
  readonly #options: InvoiceNumbererOptions;
  #running: Promise<void> | undefined;
  /** Callers waiting for the pass after the running one. */
  #waiting: PromiseWithResolvers<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: InvoiceNumbererOptions) {
    this.#options = options;
  }

  numberSoon(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#waiting ??= Promise.withResolvers<void>();
    const waiter = this.#waiting.promise;
    if (this.#running === undefined) this.#runPass();
    return waiter;
  }

  start(): void {
    this.#stopped = false;
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.numberSoon(), this.#options.intervalMs);
    this.#timer.unref();
    // Invoices left unnumbered by a previous run are numbered at once, not a tick later.
    void this.numberSoon();
  }

  /** Lets the running pass finish (the database is still open); starts none after it. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
    this.#waiting?.resolve();
    this.#waiting = undefined;
  }

  #runPass(): void {
    const served = this.#waiting;
    this.#waiting = undefined;
    this.#running = Promise.resolve()
      .then(() => this.#options.numberPending())
      .then(
        () => undefined,
        (error: unknown) => this.#options.onError(error),
      )
      .catch(() => undefined)
      .finally(() => {
        served?.resolve();
        this.#running = undefined;
        if (this.#waiting !== undefined && !this.#stopped) this.#runPass();
      });
  }
}
