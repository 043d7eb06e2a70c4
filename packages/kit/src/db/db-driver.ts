import type { Dialect } from "kysely";
import type { DatabaseKind } from "./database.types.ts";

/** What openDatabase needs from each driver; everything else is the same Kysely code. */
export interface DbDriver {
  readonly kind: DatabaseKind;
  readonly dialect: Dialect;
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Releases what Kysely's destroy does not (listener connections, an unused PGlite). */
  close(): Promise<void>;
}
