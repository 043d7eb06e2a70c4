import { describe, expect, it } from "vitest";
import { intervalTask } from "./background-task.ts";

/** Resolves once `condition` holds, checking every few ms (bounded). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error(`never: ${what}`);
}

describe("intervalTask", () => {
  it("when started, then it ticks repeatedly until stopped, and never after", async () => {
    let ticks = 0;
    const task = intervalTask({
      name: "t",
      intervalMs: 1,
      tick: async () => void ticks++,
      onError: () => {},
    });

    task.start();
    await until(() => ticks >= 3, "three ticks");
    await task.stop();
    const atStop = ticks;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(task.name).toBe("t");
    expect(ticks).toBe(atStop);
  });

  it("when a tick is running, then stop() waits for it to finish", async () => {
    let release: () => void = () => {};
    let finished = false;
    let entered = false;
    const task = intervalTask({
      name: "slow",
      intervalMs: 1,
      tick: async () => {
        entered = true;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        finished = true;
      },
      onError: () => {},
    });
    task.start();
    await until(() => entered, "the tick to start");

    const stopped = task.stop().then(() => finished);
    release();

    expect(await stopped).toBe(true);
  });

  it("when ticks fail, sync or async, then onError gets each error and the loop goes on", async () => {
    const errors: string[] = [];
    let calls = 0;
    const task = intervalTask({
      name: "failing",
      intervalMs: 1,
      tick: () => {
        calls++;
        if (calls === 1) throw new Error("sync failure");
        return Promise.reject(new Error(`async failure ${calls}`));
      },
      onError: (error) => errors.push((error as Error).message),
    });

    task.start();
    await until(() => errors.length >= 3, "three errors");
    await task.stop();

    expect(errors.slice(0, 3)).toEqual(["sync failure", "async failure 2", "async failure 3"]);
  });

  it("when onError itself throws, then the loop still goes on", async () => {
    let calls = 0;
    const task = intervalTask({
      name: "noisy",
      intervalMs: 1,
      tick: async () => {
        calls++;
        throw new Error("tick failed");
      },
      onError: () => {
        throw new Error("logging failed");
      },
    });

    task.start();
    await until(() => calls >= 3, "three ticks");
    await task.stop();

    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it("when started twice, then ticks still never overlap", async () => {
    let running = 0;
    let overlapped = false;
    let ticks = 0;
    const task = intervalTask({
      name: "once",
      intervalMs: 1,
      tick: async () => {
        running++;
        overlapped ||= running > 1;
        await new Promise((resolve) => setTimeout(resolve, 2));
        running--;
        ticks++;
      },
      onError: () => {},
    });

    task.start();
    task.start();
    await until(() => ticks >= 5, "five ticks");
    task.start();
    await until(() => ticks >= 10, "ten ticks");
    await task.stop();

    expect(overlapped).toBe(false);
  });
});
