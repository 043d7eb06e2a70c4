/** The source of "now" for timestamps, deadlines and leases; injected so tests can pin time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
