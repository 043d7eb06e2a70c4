import type { Socket } from "node:net";
import { DelaySchedule, type DelaySettings } from "./delay-schedule.ts";

/** How a direction treats bytes right now; the proxy owns one per direction and mutates it. */
export interface DirectionFaults {
  delay: DelaySettings;
  /** Hold every byte (forward nothing) until cleared: a blackhole, data arrives late if ever. */
  stalled: boolean;
  /** Discard every byte: a one-way partition. */
  dropping: boolean;
}

// Above this many queued bytes the source is paused, so a slow link pushes back like TCP does.
const HIGH_WATER_BYTES = 1 << 20;

/**
 * One direction of a proxied connection: reads `from`, writes `to`, applying the faults of the
 * moment. Bytes are queued with the time they may leave (latency, jitter, bandwidth) and flushed by
 * a timer; a stall holds the queue and pauses reading; a partition drops what arrives and marks
 * the connection as having lost bytes (a TCP stream cannot continue after a gap).
 */
export class PipeDirection {
  readonly #from: Socket;
  readonly #to: Socket;
  readonly #faults: DirectionFaults;
  readonly #schedule = new DelaySchedule();
  readonly #queue: { at: number; chunk: Buffer }[] = [];
  #queuedBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #ended = false;
  #waitingForDrain = false;
  lostBytes = 0;
  /** Dead for good (this connection only): bytes dropped, never reset on heal. */
  stranded = false;

  constructor(from: Socket, to: Socket, faults: DirectionFaults) {
    this.#from = from;
    this.#to = to;
    this.#faults = faults;
    from.on("data", (chunk: Buffer) => this.#receive(chunk));
    from.on("end", () => {
      this.#ended = true;
      this.flush();
    });
    to.on("drain", () => {
      this.#waitingForDrain = false;
      this.flush();
    });
  }

  #receive(chunk: Buffer): void {
    if (this.#faults.dropping || this.stranded) {
      this.lostBytes += chunk.length;
      return;
    }
    this.#queue.push({ at: this.#schedule.releaseAt(Date.now(), chunk.length, this.#faults.delay), chunk });
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes > HIGH_WATER_BYTES) this.#from.pause();
    this.flush();
  }

  /** Writes every chunk that is due; re-arms the timer for the next one. Called again after a fault changes. */
  flush(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#to.destroyed) return;
    if (this.#faults.stalled) {
      this.#from.pause();
      return;
    }
    const now = Date.now();
    while (this.#queue.length > 0 && !this.#waitingForDrain) {
      const head = this.#queue[0] as { at: number; chunk: Buffer };
      if (head.at > now) {
        this.#timer = setTimeout(() => this.flush(), head.at - now);
        return;
      }
      this.#queue.shift();
      this.#queuedBytes -= head.chunk.length;
      if (!this.#to.write(head.chunk)) this.#waitingForDrain = true;
    }
    if (this.#waitingForDrain) return;
    if (this.#queuedBytes <= HIGH_WATER_BYTES && !this.#from.destroyed) this.#from.resume();
    if (this.#ended && this.#queue.length === 0) this.#to.end();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
  }
}
