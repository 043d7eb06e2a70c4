import type { PoolClient } from "pg";
import { preparedStatementName } from "./precompiled-query.ts";

type Query = (text: unknown, values?: unknown) => unknown;

/**
 * Makes this pooled connection run precompiled statements (precompiled-query.ts) as named prepared
 * statements: the first run on the connection parses and plans, every later one only binds and
 * executes. Every other text runs unnamed, as before, so what a connection keeps prepared is
 * bounded by the statements written in code. Installed once per connection, on the pool's connect.
 */
export function prepareKnownStatements(client: PoolClient): void {
  const query = client.query.bind(client) as Query;
  const named: Query = (text, values) => {
    const name = typeof text === "string" && Array.isArray(values) ? preparedStatementName(text) : undefined;
    return name === undefined ? query(text, values) : query({ name, text, values });
  };
  (client as unknown as { query: Query }).query = named;
}
