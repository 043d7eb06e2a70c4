export type LifecycleState = "STARTING" | "SERVING" | "DRAINING" | "STOPPED";

const order: Record<LifecycleState, number> = { STARTING: 0, SERVING: 1, DRAINING: 2, STOPPED: 3 };

/**
 * The one lifecycle state of a process. Readiness, gRPC health, and the Consul TTL check all
 * follow it, so they flip together. It only moves forward: a draining process never serves again.
 */
export class Lifecycle {
  #state: LifecycleState = "STARTING";
  readonly #listeners = new Set<(state: LifecycleState) => void>();

  get state(): LifecycleState {
    return this.#state;
  }

  get serving(): boolean {
    return this.#state === "SERVING";
  }

  /** Moves to `next`; moving backwards or staying put is ignored. Listeners run synchronously. */
  moveTo(next: LifecycleState): void {
    if (order[next] <= order[this.#state]) return;
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (state: LifecycleState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
