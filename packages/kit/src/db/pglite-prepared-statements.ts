import { type PGlite, parse, protocol, type QueryOptions, type Results } from "@electric-sql/pglite";

const { serialize } = protocol;

/** Statements kept prepared per database; the oldest is closed when a new one would pass this. */
const DEFAULT_CAPACITY = 256;

/** Only these are worth preparing: everything else is rare, and DDL must not leave stale plans. */
const PREPARABLE = /^\s*(select|insert|update|delete|merge|with)\b/i;
/** Statements that change no schema, so they leave the prepared statements valid. */
const SCHEMA_NEUTRAL =
  /^\s*(begin|start|commit|end|rollback|savepoint|release|set|show|listen|unlisten|notify)\b/i;
/** Errors that mean a prepared statement no longer matches the schema (or is gone). */
const STALE_STATEMENT_CODES = new Set(["0A000", "26000"]);

interface Prepared {
  readonly name: string;
  readonly parameterTypes: readonly number[];
}

/**
 * Runs Kysely's parameterised statements on PGlite as named prepared statements, each execution one
 * call into PGlite's WebAssembly backend.
 *
 * Why: PGlite's own `query` sends Parse, Describe, Bind, Describe, Execute and Sync as six separate
 * calls into the backend, and PostgreSQL parses, analyses and plans the text again every time. All
 * of that runs on the service's event loop. Prepared once per text, a statement is only bound and
 * executed (PostgreSQL switches to a cached generic plan after five runs): ~370 → ~100 µs of CPU per
 * statement in a three-statement micro-benchmark (insert with jsonb, select by key, update).
 *
 * Callers hold PGlite's mutexes (see `runExclusive`), exactly as PGlite's own `query` does, so these
 * protocol messages never interleave with a transaction, LISTEN or another query.
 *
 * A PGlite database belongs to one process, so only this process changes its schema: any statement
 * that is not DML or transaction control (DDL, a migration script) closes every prepared statement.
 */
export class PglitePreparedStatements {
  readonly #pglite: PGlite;
  readonly #capacity: number;
  readonly #prepared = new Map<string, Prepared>();
  /** Prepared statements to close with the next message (evicted or invalidated). */
  #toClose: string[] = [];
  #nextId = 0;

  constructor(pglite: PGlite, capacity = DEFAULT_CAPACITY) {
    this.#pglite = pglite;
    this.#capacity = capacity;
  }

  /** Whether `text` goes through `query` here; the rest goes through PGlite's own query or exec. */
  static preparable(text: string): boolean {
    return PREPARABLE.test(text);
  }

  /** Whether running `text` elsewhere may have changed the schema, so `forgetAll` must follow. */
  static changesSchema(text: string): boolean {
    return !PREPARABLE.test(text) && !SCHEMA_NEUTRAL.test(text);
  }

  /** Executes a preparable statement; the caller holds PGlite's query mutex. */
  async query<T>(text: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    const prepared = this.#prepared.get(text) ?? (await this.#prepare(text));
    const values = params.map((param, i) => this.#serialize(param, prepared.parameterTypes[i], options));
    try {
      const { messages } = await this.#pglite.execProtocol(
        concat([
          ...this.#pendingCloses(),
          serialize.bind({ statement: prepared.name, values }),
          serialize.describe({ type: "P" }),
          serialize.execute({}),
          serialize.sync(),
        ]),
        {},
      );
      return (parse.parseResults(messages, this.#pglite.parsers, options)[0] ?? {
        rows: [],
        fields: [],
      }) as Results<T>;
    } catch (error) {
      if (STALE_STATEMENT_CODES.has(errorCode(error))) this.#forget(text);
      throw withQuery(error, text, params, options);
    }
  }

  /** Closes every prepared statement (with the next message): the schema may have changed. */
  forgetAll(): void {
    for (const text of [...this.#prepared.keys()]) this.#forget(text);
  }

  async #prepare(text: string): Promise<Prepared> {
    if (this.#prepared.size >= this.#capacity) {
      const oldest = this.#prepared.keys().next().value;
      if (oldest !== undefined) this.#forget(oldest);
    }
    const name = `orderly_${this.#nextId++}`;
    try {
      const { messages } = await this.#pglite.execProtocol(
        concat([
          ...this.#pendingCloses(),
          serialize.parse({ name, text }),
          serialize.describe({ type: "S", name }),
          serialize.sync(),
        ]),
        {},
      );
      const prepared = { name, parameterTypes: parse.parseDescribeStatementResults(messages) };
      this.#prepared.set(text, prepared);
      return prepared;
    } catch (error) {
      throw withQuery(error, text, undefined, undefined);
    }
  }

  #forget(text: string): void {
    const prepared = this.#prepared.get(text);
    if (prepared === undefined) return;
    this.#prepared.delete(text);
    this.#toClose.push(prepared.name);
  }

  #pendingCloses(): Uint8Array[] {
    if (this.#toClose.length === 0) return [];
    const closes = this.#toClose.map((name) => serialize.close({ type: "S", name }));
    this.#toClose = [];
    return closes;
  }

  /** The same text encoding PGlite's own `query` applies, chosen by the parameter's type oid. */
  #serialize(param: unknown, oid: number | undefined, options: QueryOptions | undefined): string | null {
    if (param === null || param === undefined) return null;
    const serializer =
      oid === undefined ? undefined : (options?.serializers?.[oid] ?? this.#pglite.serializers[oid]);
    return serializer ? serializer(param) : String(param);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function errorCode(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
}

/** Adds what PGlite's own query adds to a database error (its text, parameters and options). */
function withQuery(
  error: unknown,
  query: string,
  params: readonly unknown[] | undefined,
  queryOptions: QueryOptions | undefined,
): unknown {
  if (typeof error === "object" && error !== null && "code" in error) {
    Object.assign(error, { query, params, queryOptions });
  }
  return error;
}
