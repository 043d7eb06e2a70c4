import { validationError } from "../errors/index.ts";

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * LISTEN takes an identifier while pg_notify takes a string, and the drivers fold case differently;
 * allowing only lowercase identifiers makes every spelling name the same channel.
 */
export function assertChannel(channel: string): void {
  if (!CHANNEL.test(channel)) {
    throw validationError({
      field: "channel",
      description: "must be a lowercase SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)",
    });
  }
}

export function quoteChannel(channel: string): string {
  assertChannel(channel);
  return `"${channel}"`;
}
