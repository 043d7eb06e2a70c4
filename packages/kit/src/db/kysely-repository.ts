import type { Kysely } from "kysely";

/**
 * What every service's Kysely repository is: queries over the executor it is handed, the pool (each
 * call on its own) or a transaction (a Transaction<DB> is a Kysely<DB> too), and never a
 * transaction opened by itself. Whoever owns the unit of work decides what commits together, so a
 * repository built on a transaction's executor writes as part of it without knowing.
 */
export abstract class KyselyRepository<DB> {
  protected readonly db: Kysely<DB>;

  constructor(db: Kysely<DB>) {
    this.db = db;
  }
}
