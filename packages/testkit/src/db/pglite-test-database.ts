import { createHash, randomBytes } from "node:crypto";
import { access, cp, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sanitizeLabel, type TestDatabase } from "./test-database.ts";

const READY_MARKER = ".orderly-template-ready";

/**
 * A fresh PGlite directory. initdb takes seconds, so the first call on a machine initialises a
 * template directory (per PGlite build) and every database after that is a copy of it.
 */
export async function createPgliteTestDatabase(label: string): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), `orderly-test-${sanitizeLabel(label, 40)}-`));
  const template = await pgliteTemplate().catch(() => undefined);
  if (template !== undefined) {
    await cp(template, dir, { recursive: true, filter: (source) => !source.endsWith(READY_MARKER) });
  }
  return {
    url: `pglite:${dir}`,
    kind: "pglite",
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function pgliteTemplate(): Promise<string> {
  // The resolved path names the installed PGlite version, so an upgrade gets its own template.
  const build = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const hash = createHash("sha256").update(build).digest("hex").slice(0, 16);
  const template = join(tmpdir(), `orderly-pglite-template-${hash}`);
  if (await exists(join(template, READY_MARKER))) return template;

  const building = join(tmpdir(), `orderly-pglite-template-${hash}.${randomBytes(4).toString("hex")}`);
  try {
    const pglite = new PGlite(building);
    await pglite.waitReady;
    await pglite.close();
    await writeFile(join(building, READY_MARKER), "");
    // Atomic publish: if another worker got there first, its template is as good as ours.
    await rename(building, template).catch(async (err: NodeJS.ErrnoException) => {
      if (!(await exists(join(template, READY_MARKER)))) throw err;
    });
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  return template;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
