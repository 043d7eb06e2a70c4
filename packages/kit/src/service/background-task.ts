/** Work that runs beside the listeners (outbox relay, saga worker, expiry job). */
export interface BackgroundTask {
  name: string;
  start(): void | Promise<void>;
  /** Finish or abandon the current unit of work; resolve when nothing more will run. */
  stop(): Promise<void>;
}

/**
 * A task that runs `tick` every `intervalMs`, never overlapping itself, and whose stop() waits for
 * the running tick. Errors are handed to `onError` and the loop goes on.
 */
export function intervalTask(options: {
  name: string;
  intervalMs: number;
  tick: () => Promise<unknown>;
  onError: (error: unknown) => void;
}): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    // One pending timer at most, even when start() is called again.
    clearTimeout(timer);
    timer = setTimeout(run, options.intervalMs);
    timer.unref();
  };
  const run = () => {
    if (running) return;
    running = Promise.resolve()
      // A tick that throws before returning its promise is an error like any other, not a crash.
      .then(() => options.tick())
      .then(
        () => undefined,
        (error: unknown) => options.onError(error),
      )
      // An onError that throws must neither end the loop nor become an unhandled rejection.
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
        schedule();
      });
  };
  return {
    name: options.name,
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
