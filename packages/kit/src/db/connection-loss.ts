import type { DatabaseConnection, Dialect, Driver } from "kysely";
import { AppError, Code } from "../errors/index.ts";

// SQLSTATE class 08 (connection exception) and the shutdown family of class 57: the server or an
// operator ended the session (pg_terminate_backend is 57P01). Node's socket errors mean the same.
// 53300 (too_many_connections) refuses a new session: nothing ran, and the next try may get one
// (seen under the fault suite's load, where it turned healthy orders FAILED as INTERNAL).
const LOST_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
const LOST_SOCKET = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);

/**
 * Whether `error` says the database connection went away or could not be had (not that the
 * statement was wrong): the pool's connect timeout and a server out of connection slots count.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (LOST_SQLSTATE.test(code) || LOST_SOCKET.has(code))) return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === "string" &&
    /Connection terminated|connection ended|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
      message,
    )
  );
}

/**
 * A lost connection fails the statement as UNAVAILABLE (transient: callers retry idempotent or
 * keyed work) instead of INTERNAL, which would make the order saga give up on a healthy peer.
 */
export function connectionLossError(cause: unknown): AppError {
  return new AppError({
    code: Code.UNAVAILABLE,
    reason: "DATABASE_UNAVAILABLE",
    message: "the database connection was lost or none could be had; retry",
    cause,
  });
}

/** Wraps a dialect so every statement's connection loss surfaces as `connectionLossError`. */
export function withConnectionLossAsUnavailable(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => wrapDriver(dialect.createDriver()),
  };
}

function wrapDriver(driver: Driver): Driver {
  const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const inner = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const unwrap = (connection: DatabaseConnection) => inner.get(connection) ?? connection;
  return new Proxy(driver, {
    get(target, property) {
      if (property === "acquireConnection") {
        return async (...args: Parameters<Driver["acquireConnection"]>) => {
          const connection = await translate(() => target.acquireConnection(...args));
          let outer = wrapped.get(connection);
          if (!outer) {
            outer = wrapConnection(connection);
            wrapped.set(connection, outer);
            inner.set(outer, connection);
          }
          return outer;
        };
      }
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      // Every other driver method takes the connection first; the driver's own object must go
      // back to it (it keeps private state on it), and its failures are translated too.
      return (first: unknown, ...rest: unknown[]) => {
        const connection =
          typeof first === "object" && first !== null ? unwrap(first as DatabaseConnection) : first;
        return translate(() => value.call(target, connection, ...rest));
      };
    },
  });
}

function wrapConnection(connection: DatabaseConnection): DatabaseConnection {
  return {
    executeQuery: (query, options) => translate(() => connection.executeQuery(query, options)),
    streamQuery: (query, chunkSize, options) => connection.streamQuery(query, chunkSize, options),
  };
}

async function translate<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw isConnectionLoss(error) ? connectionLossError(error) : error;
  }
}
