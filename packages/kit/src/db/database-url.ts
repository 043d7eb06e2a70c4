import { isAbsolute, resolve } from "node:path";
import { validationError } from "../errors/index.ts";

export type ParsedDatabaseUrl =
  | { kind: "postgres"; connectionString: string }
  | { kind: "pglite"; dataDir: string | undefined /* undefined = in memory */ };

/** Splits a DATABASE_URL into the driver to use and what that driver needs. Never echoes secrets. */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): ParsedDatabaseUrl {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch {
      throw invalid("is not a valid postgres:// URL");
    }
    return { kind: "postgres", connectionString: url };
  }
  if (url.startsWith("pglite:")) {
    const rest = url.slice("pglite:".length);
    if (rest === "memory") return { kind: "pglite", dataDir: undefined };
    if (rest.trim() === "") throw invalid('needs a directory ("pglite:<dir>") or "pglite:memory"');
    return { kind: "pglite", dataDir: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  }
  throw invalid('must start with "postgres://", "postgresql://" or "pglite:"');
}

function invalid(description: string) {
  return validationError({ field: "url", description: `database url ${description}` });
}
