/**
 * `pnpm run token --sub alice --scope "orders:read orders:write" [--ttl 3600]`: prints a bearer
 * token signed by the embedded default's dev key (`<ORDERLY_DATA_DIR>/auth/`, default .data; created
 * when absent), which `pnpm start` serves with. (`run` is needed: pnpm 12's built-in `pnpm token`,
 * for registry tokens, shadows a script of that name.)
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { isScope, SCOPES } from "@orderly/kit/auth";
import { devToken, ensureDevAuth } from "./dev-auth.ts";

const USAGE = `usage: pnpm run token --sub <subject> --scope "<scope> <scope>…" [--ttl <seconds>]
  scopes: ${SCOPES.join(", ")}
  --ttl   lifetime in seconds (default 3600)
  reads ORDERLY_DATA_DIR (default .data) for the signing key`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let values: {
  sub?: string | undefined;
  scope?: string | undefined;
  ttl?: string | undefined;
  help?: boolean | undefined;
};
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: "string" },
      scope: { type: "string" },
      ttl: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.sub) fail("--sub is required (the customer the token speaks for)");
const scopes = (values.scope ?? "").split(/\s+/).filter(Boolean);
const unknown = scopes.filter((s) => !isScope(s));
if (unknown.length > 0) fail(`--scope: unknown scope(s) ${unknown.join(", ")}`);
const ttlSeconds = values.ttl === undefined ? 3600 : Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0)
  fail(`--ttl must be a whole number of seconds > 0, got "${values.ttl}"`);

// pnpm runs scripts from the repository root; INIT_CWD is where the user typed the command.
const cwd = process.env.INIT_CWD ?? process.cwd();
const dataDir = process.env.ORDERLY_DATA_DIR
  ? resolve(cwd, process.env.ORDERLY_DATA_DIR)
  : join(import.meta.dirname, "..", ".data");
const auth = await ensureDevAuth(dataDir);
console.log(await devToken(auth, { sub: values.sub, scopes, ttlSeconds }));
