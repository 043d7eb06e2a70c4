import type { OrderChanges } from "../domain/ports/order-changes.port.ts";

/**
 * One database subscription per process, fanned out to every watcher of an order, so a thousand
 * WatchOrder streams cost one LISTEN connection.
 */
export class OrderChangeFeed implements OrderChanges {
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #listen: (onChange: (orderId: string) => void) => Promise<() => Promise<void>>;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(listen: (onChange: (orderId: string) => void) => Promise<() => Promise<void>>) {
    this.#listen = listen;
  }

  async start(): Promise<void> {
    this.#unlisten ??= await this.#listen((orderId) => {
      for (const listener of this.#listeners.get(orderId) ?? []) listener();
    });
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
    this.#unlisten = undefined;
  }

  subscribe(orderId: string, onChange: () => void): () => void {
    let set = this.#listeners.get(orderId);
    if (!set) {
      set = new Set();
      this.#listeners.set(orderId, set);
    }
    set.add(onChange);
    return () => {
      set.delete(onChange);
      if (set.size === 0) this.#listeners.delete(orderId);
    };
  }
}
