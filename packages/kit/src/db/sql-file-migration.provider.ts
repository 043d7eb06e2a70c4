import { readdir, readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { Migration, MigrationProvider } from "kysely/migration";
import { runSqlScript } from "./sql-script.ts";

/**
 * Each `*.sql` file in the folder is one migration, named by its file name without `.sql` and
 * applied in name order (so prefix them: 0001_init.sql, 0002_…). A file runs as one script and may
 * hold several statements. Migrations run inside the migration transaction, so statements that
 * cannot run in a transaction (CREATE INDEX CONCURRENTLY, VACUUM) and BEGIN/COMMIT do not belong here.
 */
export class SqlFileMigrationProvider implements MigrationProvider {
  readonly #folder: string;

  constructor(folder: string) {
    if (!isAbsolute(folder)) throw new Error(`migrationsFolder must be an absolute path, got "${folder}"`);
    this.#folder = folder;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    let entries: string[];
    try {
      entries = await readdir(this.#folder);
    } catch (err) {
      throw new Error(`cannot read migrationsFolder "${this.#folder}"`, { cause: err });
    }
    const migrations: Record<string, Migration> = {};
    for (const file of entries.filter((name) => name.endsWith(".sql")).sort()) {
      const path = join(this.#folder, file);
      migrations[file.slice(0, -".sql".length)] = {
        // Read at run time so a pending migration's text is the text on disk when it is applied.
        up: async (db) => runSqlScript(db, await readFile(path, "utf8")),
      };
    }
    return migrations;
  }
}
