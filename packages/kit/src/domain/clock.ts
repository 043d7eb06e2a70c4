/** The source of "now" for timestamps, deadlines and leases; injected so tests can pin time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The system clock moved by a fixed offset: how the fault suite simulates a host whose clock has
 * jumped (`ORDERLY_CLOCK_OFFSET_MS` in the order service's config, read once at start). An offset
 * of 0 is the system clock itself, so the setting costs nothing when it is not set.
 */
export function offsetClock(offsetMs: number): Clock {
  if (offsetMs === 0) return systemClock;
  return { now: () => new Date(Date.now() + offsetMs) };
}
