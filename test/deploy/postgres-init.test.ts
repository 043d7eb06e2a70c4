/**
 * deploy/compose/postgres/init-databases.sh (the script the postgres container runs on first start,
 * and the local Kubernetes overlay mounts) against a real PostgreSQL, when one is configured for
 * the test suites (ORDERLY_TEST_DATABASE_URL, set by .ci/run when a server is reachable).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { repoPath } from "./support/repo.ts";

const adminUrl = process.env.ORDERLY_TEST_DATABASE_URL;
const hasPsql = (() => {
  try {
    execFileSync("psql", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const suffix = randomBytes(4).toString("hex");
const names = [`deploytest_${suffix}_a`, `deploytest_${suffix}_b`];
const password = `pw-${suffix}`;

function adminEnv(url: URL): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    PGHOST: url.hostname,
    PGPORT: url.port || "5432",
    PGPASSWORD: decodeURIComponent(url.password),
    POSTGRES_USER: decodeURIComponent(url.username) || "postgres",
  };
}

function runInit(url: URL): string {
  return execFileSync("sh", [repoPath("deploy/compose/postgres/init-databases.sh")], {
    env: { ...adminEnv(url), ORDERLY_DATABASES: names.join(" "), ORDERLY_DATABASE_PASSWORD: password },
    encoding: "utf8",
    stdio: "pipe",
  });
}

/** Runs a query as `user` on `database`; returns its output, or the error text when refused. */
function queryAs(url: URL, user: string, database: string, sql: string): { ok: boolean; output: string } {
  const target = new URL(url.href);
  target.username = user;
  target.password = password;
  target.pathname = `/${database}`;
  try {
    const output = execFileSync("psql", [target.href, "-tAc", sql], { encoding: "utf8", stdio: "pipe" });
    return { ok: true, output: output.trim() };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: Buffer }).stderr ?? error) };
  }
}

describe.runIf(adminUrl !== undefined && hasPsql)("the PostgreSQL init script", () => {
  const url = new URL(adminUrl ?? "postgres://localhost");

  afterAll(() => {
    const admin = new URL(url.href);
    const drop = names.flatMap((name) => [
      `DROP DATABASE IF EXISTS "${name}"`,
      `DROP ROLE IF EXISTS "${name}"`,
    ]);
    for (const sql of drop) execFileSync("psql", [admin.href, "-c", sql], { stdio: "pipe" });
  });

  it("when it runs on a server, then each service can log in to its own database, and only to its own", () => {
    runInit(url);
    const [a, b] = names as [string, string];
    expect(queryAs(url, a, a, "select current_user || '@' || current_database()")).toEqual({
      ok: true,
      output: `${a}@${a}`,
    });
    expect(queryAs(url, b, b, "select current_user || '@' || current_database()")).toMatchObject({
      ok: true,
    });
    const intruder = queryAs(url, a, b, "select 1");
    expect(intruder.ok).toBe(false);
    expect(intruder.output).toContain("permission denied");
  });

  it("when it runs again (a restarted container, a re-applied manifest), then it succeeds and keeps the data", () => {
    runInit(url);
    const [a] = names as [string, string];
    expect(
      queryAs(url, a, a, "create table if not exists probe (id int); insert into probe values (1)"),
    ).toMatchObject({
      ok: true,
    });
    runInit(url);
    expect(queryAs(url, a, a, "select count(*) from probe")).toEqual({ ok: true, output: "1" });
  });
});
