import { describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "./database-url.ts";

describe("parseDatabaseUrl", () => {
  it("when the url is postgres:// or postgresql://, then pg gets it unchanged", () => {
    for (const url of ["postgres://u:p@db:5432/orders", "postgresql://db/orders?sslmode=require"]) {
      expect(parseDatabaseUrl(url)).toEqual({ kind: "postgres", connectionString: url });
    }
  });

  it("when the url is pglite:memory, then the database is in memory", () => {
    expect(parseDatabaseUrl("pglite:memory")).toEqual({ kind: "pglite", dataDir: undefined });
  });

  it("when the pglite directory is relative, then it resolves against the working directory", () => {
    expect(parseDatabaseUrl("pglite:.data/order", "/srv/app")).toEqual({
      kind: "pglite",
      dataDir: "/srv/app/.data/order",
    });
    expect(parseDatabaseUrl("pglite:/var/lib/order")).toEqual({ kind: "pglite", dataDir: "/var/lib/order" });
  });

  it("when the url is unsupported or empty, then it is rejected as INVALID_ARGUMENT on field url without echoing it", () => {
    for (const url of ["mysql://root:secret@db/x", "pglite:", "", "postgres://bad host/x"]) {
      let error: unknown;
      try {
        parseDatabaseUrl(url);
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ reason: "VALIDATION_FAILED", details: { field: "url" } });
      expect(String((error as Error).message)).not.toContain("secret");
    }
  });
});
