/**
 * A background loop's pause that something else can end early: new work (a NOTIFY) or stop().
 * A wake that comes while the loop is busy is kept, so the next pause ends at once and the loop
 * looks again instead of missing the work that came in meanwhile.
 */
export class WakeableSleep {
  #wake: (() => void) | undefined;
  #woken = false;

  /** Resolves after `ms`, or at once if woken since the last pause ended. */
  async sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
    this.#wake = undefined;
    this.#woken = false;
  }

  /** Ends the pause in progress, or the next one if the loop is busy. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }
}
