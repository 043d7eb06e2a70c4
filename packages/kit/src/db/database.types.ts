import type { Kysely, Transaction } from "kysely";

/** The logging surface the db module needs; a pino Logger fits. */
export interface DbLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DatabaseOptions {
  /** "postgres://…" | "postgresql://…" | "pglite:<dir>" | "pglite:memory" */
  url: string;
  /** Absolute path to a folder of versioned *.sql files (0001_init.sql, …), applied in name order. */
  migrationsFolder?: string;
  log?: DbLogger;
  /** pg pool size, default 10 (ignored by PGlite, which is one connection). */
  poolSize?: number;
}

export type DatabaseKind = "postgres" | "pglite";

/** Fits kit/health's DependencyCheck. */
export interface DatabaseCheck {
  name: "database";
  required: true;
  check(signal: AbortSignal): Promise<void>;
}

export interface Database<DB> {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
  /** Kit tables first (outbox, inbox), then the service's *.sql in name order. Safe to run concurrently. */
  migrate(): Promise<void>;
  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  readonly check: DatabaseCheck;
  /**
   * Subscribes to NOTIFY on `channel` (a lowercase SQL identifier); resolves once listening.
   * Returns the unsubscribe function. Notifications sent inside a transaction arrive after commit.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** pg_notify; pass the transaction to send it only if (and when) that transaction commits. */
  notify(channel: string, payload: string, trx?: Transaction<DB>): Promise<void>;
  /** Stops listeners, then closes the pool (or the PGlite instance). Idempotent. */
  close(): Promise<void>;
}
