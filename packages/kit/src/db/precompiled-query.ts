import { type Compilable, CompiledQuery, type Kysely, type QueryResult, type RawBuilder } from "kysely";

/**
 * A hot statement built and compiled by Kysely once, then run with new parameter values: no query
 * builder nodes, no freezing and no SQL compilation per call (that was ~0.25 ms a statement in the
 * order service's profile). The SQL text is constant, so the pg driver runs it as a named prepared
 * statement too (see preparedStatementName): PostgreSQL parses and plans it once per connection.
 *
 * Fits statements of one fixed shape only: every named parameter is a single bound value (never a
 * list for `in`, never `null` for `is`), and every column the builder sets is always set. A value
 * that is `undefined` at run time is sent as NULL, where a freshly built query would drop the column.
 */
export interface PrecompiledQuery<DB, P, R> {
  /** Runs the statement on `db` (the pool or a transaction) with these values. */
  execute(db: Kysely<DB>, params: P): Promise<QueryResult<R>>;
  /** The statement's SQL text (compiled on first use). */
  sql(db: Kysely<DB>): string;
}

type Slot = { readonly param: string } | { readonly constant: unknown };

interface Template {
  readonly sql: string;
  readonly slots: readonly Slot[];
}

const PLACEHOLDER_PREFIX = "\u0000orderly-param:";
/** Ends every placeholder, so a placeholder with text added after it is told from one bound as it is. */
const PLACEHOLDER_END = "\u0000";
/** The prefix as it reads inside JSON text (a parameter passed through JSON.stringify). */
const PLACEHOLDER_PREFIX_JSON = JSON.stringify(PLACEHOLDER_PREFIX).slice(1, -1);
/** `select *`, `returning *` or `t.*` (not `count(*)`). */
const SELECTS_STAR = /\b(?:select|returning)\s+\*|\.\*/i;

/** Texts of every precompiled statement in this process, each with the name it is prepared under. */
const preparedNames = new Map<string, string>();

/**
 * The prepared-statement name of a precompiled statement's SQL text, or undefined for any other
 * text. Names are per process and never reused for another text, so a pooled connection may
 * prepare each one once and keep it; the set is bounded by the statements written in code.
 */
export function preparedStatementName(sqlText: string): string | undefined {
  return preparedNames.get(sqlText);
}

/**
 * Builds `build`'s query once, with a placeholder for each parameter read from its second argument,
 * and runs it afterwards with the values given to execute(). Constants the builder writes itself
 * (`eb("version", "+", 1)`, a status literal) stay as compiled. `build` may return a query builder
 * or a sql`` template.
 */
export function precompile<DB, P extends object, R>(
  build: (db: Kysely<DB>, params: P) => Compilable<R> | RawBuilder<R>,
): PrecompiledQuery<DB, P, R> {
  let template: Template | undefined;
  const templateFor = (db: Kysely<DB>): Template => {
    template ??= compileTemplate(db, build);
    return template;
  };
  return {
    sql: (db) => templateFor(db).sql,
    async execute(db, params) {
      const { sql, slots } = templateFor(db);
      const byName = params as Record<string, unknown>;
      const values = slots.map((slot) => ("param" in slot ? byName[slot.param] : slot.constant));
      return db.executeQuery(CompiledQuery.raw(sql, values) as CompiledQuery<R>);
    },
  };
}

function compileTemplate<DB, P extends object, R>(
  db: Kysely<DB>,
  build: (db: Kysely<DB>, params: P) => Compilable<R> | RawBuilder<R>,
): Template {
  const placeholders = new Proxy({} as P, {
    get: (_, key) => (typeof key === "string" ? `${PLACEHOLDER_PREFIX}${key}${PLACEHOLDER_END}` : undefined),
  });
  const built = build(db, placeholders);
  // A sql`` template compiles against an executor; a query builder carries its own.
  const compiled = "isRawBuilder" in built ? built.compile(db) : built.compile();
  const slots = compiled.parameters.map((value): Slot => {
    if (
      typeof value === "string" &&
      value.startsWith(PLACEHOLDER_PREFIX) &&
      value.endsWith(PLACEHOLDER_END)
    ) {
      const param = value.slice(PLACEHOLDER_PREFIX.length, -PLACEHOLDER_END.length);
      if (!param.includes(PLACEHOLDER_END)) return { param };
    }
    // A parameter the builder transformed (JSON.stringify(p.x), `${p.x}%`) would be frozen into a
    // constant and sent as the placeholder's text on every run: refuse it at compile time.
    if (
      typeof value === "string" &&
      (value.includes(PLACEHOLDER_PREFIX) || value.includes(PLACEHOLDER_PREFIX_JSON))
    )
      throw new Error("precompile: a parameter was transformed before binding; bind it as it is");
    return { constant: value };
  });
  if (compiled.sql.includes(PLACEHOLDER_PREFIX)) {
    throw new Error("precompile: a parameter ended up inside the SQL text instead of being bound");
  }
  if (SELECTS_STAR.test(compiled.sql)) {
    throw new Error(
      "precompile: name the columns instead of *: PostgreSQL refuses a prepared statement whose result changed shape (a migration adding a column)",
    );
  }
  if (!preparedNames.has(compiled.sql)) preparedNames.set(compiled.sql, `orderly_${preparedNames.size + 1}`);
  return { sql: compiled.sql, slots };
}

/**
 * The columns named in `columns` (a record, so the compiler insists on every column of C and no
 * other), read from `params`: how a precompiled statement spreads a whole row into values() or
 * set(), since its placeholders cannot be enumerated.
 */
export function columnValues<C extends object>(params: C, columns: Record<keyof C, true>): C {
  const byName = params as Record<string, unknown>;
  return Object.fromEntries(Object.keys(columns).map((key) => [key, byName[key]])) as C;
}
