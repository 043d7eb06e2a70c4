import { ConfigError } from "./config-error.ts";

/** EX_CONFIG from sysexits.h: the conventional exit status for a configuration error. */
export const CONFIG_ERROR_EXIT_CODE = 78;

/**
 * Runs a config loader; on ConfigError prints one line naming each variable and exits non-zero
 * before anything listens. Other errors propagate.
 */
export function loadOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(CONFIG_ERROR_EXIT_CODE);
    }
    throw error;
  }
}
