/** The source of "now" for timestamps and the numbering year; injected so tests can pin time. */
export interface Clock {
  now(): Date;
}
