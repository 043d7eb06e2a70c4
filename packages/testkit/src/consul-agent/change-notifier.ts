interface Waiter {
  /** The service name it watches, or undefined for any change. */
  name: string | undefined;
  wake(): void;
}

export interface WaitForChangeOptions {
  /** The client's `index` query parameter: wait until the resource's index exceeds it. */
  index: number;
  /** Reads the resource's current index. */
  current(): number;
  waitMs: number;
  /** Service name the resource belongs to; undefined for catalogue-wide resources. */
  name: string | undefined;
  /** Aborted when the client goes away or the agent stops. */
  signal: AbortSignal;
}

/** Blocking-query plumbing: parks requests until their resource's index moves or their wait elapses. */
export class ChangeNotifier {
  readonly #waiters = new Set<Waiter>();

  notify(names: readonly string[]): void {
    for (const waiter of [...this.#waiters]) {
      if (waiter.name === undefined || names.includes(waiter.name)) waiter.wake();
    }
  }

  waitForChange(options: WaitForChangeOptions): Promise<void> {
    if (options.current() > options.index || options.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        options.signal.removeEventListener("abort", done);
        resolve();
      };
      // Like Consul, only an index above the client's answers early: a client holding an index from
      // before a restart waits out its `wait` (clients must reset their index, as Consul's docs say).
      const waiter: Waiter = {
        name: options.name,
        wake: () => {
          if (options.current() > options.index) done();
        },
      };
      const timer = setTimeout(done, options.waitMs);
      timer.unref();
      options.signal.addEventListener("abort", done, { once: true });
      this.#waiters.add(waiter);
    });
  }
}
