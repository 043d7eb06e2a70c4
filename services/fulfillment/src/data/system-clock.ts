import type { Clock } from "../domain/ports/clock.port.ts";

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}
