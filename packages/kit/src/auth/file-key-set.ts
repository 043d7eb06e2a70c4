import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { JSONWebKeySet, JWTVerifyGetKey } from "jose";
import { jose } from "./jose-module.ts";

export interface FileKeySetOptions {
  /**
   * How long a read of the file is trusted before the next verification re-reads it, so a removed
   * key stops being accepted. Default 5 s; 0 re-reads on every verification (tests).
   */
  recheckMs?: number;
  now?: () => number;
}

/**
 * The keys of a local JWKS file (AUTH_JWKS_FILE), for `jwtVerify`. Read once at construction, so a
 * missing or malformed file fails at start; read again when a token names a key id the loaded set
 * does not have (a rotation added a key) and after `recheckMs` (a rotation removed one). Concurrent
 * re-reads share one read.
 */
/** How often a JWKS file is re-read when no unknown key id forces it (a removed key stops working). */
export const DEFAULT_FILE_RECHECK_MS = 5000;

export function fileKeySet(path: string, options: FileKeySetOptions = {}): JWTVerifyGetKey {
  const recheckMs = options.recheckMs ?? DEFAULT_FILE_RECHECK_MS;
  const now = options.now ?? Date.now;
  let text = readFileSync(path, "utf8");
  let keys = jose().createLocalJWKSet(parseJwks(text, path));
  let readAt = now();
  let reading: Promise<boolean> | undefined;

  /** Re-reads the file; true when its content changed (and the key set was replaced). */
  const reread = (): Promise<boolean> => {
    reading ??= readFile(path, "utf8")
      .then((next) => {
        readAt = now();
        if (next === text) return false;
        keys = jose().createLocalJWKSet(parseJwks(next, path));
        text = next;
        return true;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };

  return async (header, token) => {
    if (now() - readAt >= recheckMs) await reread();
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof jose().errors.JWKSNoMatchingKey && (await reread())) return keys(header, token);
      throw error;
    }
  };
}

function parseJwks(text: string, path: string): JSONWebKeySet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`AUTH_JWKS_FILE ${path}: not JSON`);
  }
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error(`AUTH_JWKS_FILE ${path}: expected a JWKS, {"keys": [...]}`);
  return value as JSONWebKeySet;
}
