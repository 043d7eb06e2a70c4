import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";

/** What a piece of work sent to the database: statements, and explicit transactions around them. */
export interface StatementCounts {
  statements: number;
  transactions: number;
}

/**
 * The same database, counting what goes through it: every statement executed (builder, raw `sql` or precompiled)
 * and every `transaction()` opened (each adds a BEGIN and a COMMIT or ROLLBACK round trip).
 */
export function countStatements<DB>(db: Kysely<DB>): {
  db: Kysely<DB>;
  counts: StatementCounts;
  reset(): void;
} {
  const counts: StatementCounts = { statements: 0, transactions: 0 };
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      return args.node;
    },
    // Counted on the result, not on compilation: a precompiled statement (kit precompile) is
    // compiled once but executed, and answered, every time.
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      counts.statements += 1;
      return Promise.resolve(args.result);
    },
  };
  const counted = db.withPlugin(plugin);
  const proxy = new Proxy(counted, {
    get(target, property) {
      if (property === "transaction") {
        return () => {
          counts.transactions += 1;
          return target.transaction();
        };
      }
      // Kysely keeps its state in #private fields, which only the real object can read.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    db: proxy,
    counts,
    reset() {
      counts.statements = 0;
      counts.transactions = 0;
    },
  };
}
