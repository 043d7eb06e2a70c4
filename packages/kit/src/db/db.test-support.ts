import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Generated } from "kysely";
import type { DbLogger } from "./database.types.ts";

export interface LogEntry {
  level: "info" | "warn" | "error";
  obj: object;
  msg: string | undefined;
}

/** A DbLogger that keeps what it was told and can wait for a message to be logged. */
export function recordingLogger(): DbLogger & {
  entries: LogEntry[];
  next(level: LogEntry["level"], msg: string): Promise<LogEntry>;
} {
  const entries: LogEntry[] = [];
  const waiters: Array<{ level: string; msg: string; resolve: (entry: LogEntry) => void }> = [];
  const record = (level: LogEntry["level"]) => (obj: object, msg?: string) => {
    const entry = { level, obj, msg };
    entries.push(entry);
    for (const waiter of waiters.filter((w) => w.level === level && msg?.includes(w.msg))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  };
  return {
    entries,
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
    next: (level, msg) => new Promise((resolve) => waiters.push({ level, msg, resolve })),
  };
}

/** Writes `files` (name -> SQL) into a new temp folder; returns the folder and its cleanup. */
export async function migrationsFolder(
  files: Record<string, string>,
): Promise<{ folder: string; remove(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), "orderly-migrations-"));
  for (const [name, sql] of Object.entries(files)) await writeFile(join(folder, name), sql);
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}

/**
 * A service schema in the shape real services write: several statements per file, a function body
 * whose semicolons must not split the file, and a seed row that must be inserted exactly once.
 */
export const WIDGET_MIGRATIONS = {
  "0001_init.sql": `
    create table widgets (
      id bigserial primary key,
      name text not null,
      created_at timestamptz not null default now()
    );
    create index widgets_name_idx on widgets (name);
    create function widget_count() returns bigint language sql as $$
      select count(*) from widgets;
    $$;
  `,
  "0002_size.sql": `
    alter table widgets add column size int8 not null default 0;
    insert into widgets (name, size) values ('seed', 9007199254740991);
  `,
  "README.md": "not a migration",
};

export interface WidgetTables {
  widgets: { id: Generated<number>; name: string; size: Generated<number>; created_at: Generated<Date> };
}

/** Resolves after `count` calls to `mark()`; lets a test await an event instead of sleeping. */
export function countdown(count: number): { mark(): void; done: Promise<void> } {
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  let left = count;
  if (left <= 0) resolve();
  return {
    mark() {
      left--;
      if (left === 0) resolve();
    },
    done,
  };
}
