/**
 * `pnpm build`: each service bundled with the kit and its dependencies into
 * `services/<name>/dist/`: `main.mjs` (the application) and `register.mjs` (the kit's telemetry
 * entry), which the image runs from the service folder as `node --import ./dist/register.mjs
 * dist/main.mjs`. One build holds both entries, so they share one copy of what both import
 * (@opentelemetry/api…). `pnpm start`, tests and dev runs keep running the TypeScript sources.
 *
 * Why: a restart from sources loads ~1,300 module files (kysely alone 258, zod 95, ajv 85), and
 * with Node's compile cache warm the loader's per-file work (resolve, read, look up the cache, link)
 * was two thirds of start-up (bench/README.md, "Restart, second pass"). Built, inventory's start
 * loads a few chunks plus ~115 installed files, the ones left outside below (grpc-js 66, pg and its
 * helpers 35; bench/src/experiments/module-census.mjs).
 *
 * What stays outside the bundle, so that telemetry still works:
 * - `@grpc/grpc-js`: instrumentation-grpc patches it through the ES module hook
 *   (import-in-the-middle), which matches the bare specifier; bundled, it would never be patched.
 *   Every service depends on it directly, so `dist/` resolves it by name.
 * - `pg` and the optional packages the kit requires on demand (`createRequire(import.meta.url)`:
 *   consul, ioredis, jose, pino-pretty, @fastify/swagger…): the bundler does not follow those calls,
 *   so they are required at run time, pg through require-in-the-middle as from sources. See
 *   `keepSourceLocation` for where they resolve from.
 * - import-in-the-middle (see LOADER_EXTERNALS) and Node builtins (`http` is instrumented by
 *   patching the builtin itself).
 * fastify is bundled: @fastify/otel reaches it through a diagnostics channel, not a module hook.
 *
 * Usage: `node packages/build/src/build.ts [service...]` (default: all four). A package of its own so
 * the image's build stage can install the bundler alone (`--filter @orderly/build`), then drop it.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { build, type Plugin, RolldownMagicString } from "rolldown";

const root = join(import.meta.dirname, "..", "..", "..");
const ALL_SERVICES = ["order", "inventory", "invoice", "fulfillment"] as const;

/** Kept as bare imports: instrumented through the ES module hook, which matches specifiers. */
export const HOOKED_EXTERNALS = ["@grpc/grpc-js"];

/**
 * `import.meta.url` (and `dirname`/`filename`) keep naming the module's own source file inside the
 * bundle: `new URL(<path from dist/ to the source>, import.meta.url)`. So `createRequire(import.meta.url)`
 * in the kit resolves pg, consul… from packages/kit as it does from sources (pnpm gives each package
 * only its own dependencies), and `new URL("../migrations", import.meta.url)` still finds the
 * service's migrations. The paths are relative, so the bundle works wherever the workspace is copied
 * whole (the image keeps the repository's layout under /app).
 */
function keepSourceLocation(outDir: string): Plugin {
  return {
    name: "orderly:keep-source-location",
    transform: {
      filter: { code: /import\.meta\.(url|dirname|filename)\b/ },
      handler(code, id) {
        // Rolldown's own runtime (its `require` shim) means the chunk's location, as it should.
        if (id.startsWith("\0")) return null;
        const fromDist = relative(outDir, id).split("\\").join("/");
        const url = `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`;
        // A magic string, so the source map still maps every other column of the module.
        const edited = new RolldownMagicString(code);
        edited.replaceAll("import.meta.url", url);
        if (/import\.meta\.(dirname|filename)\b/.test(code)) {
          edited.replaceAll("import.meta.filename", `__orderlyFileURLToPath(${url})`);
          edited.replaceAll("import.meta.dirname", `__orderlyDirname(__orderlyFileURLToPath(${url}))`);
          edited.prepend(
            'import { fileURLToPath as __orderlyFileURLToPath } from "node:url";\nimport { dirname as __orderlyDirname } from "node:path";\n',
          );
        }
        return { code: edited };
      },
    },
  };
}

/**
 * Packages that must keep their own files: import-in-the-middle's hook generates wrapper modules that
 * import its `lib/register.js` by URL, which a bundled copy would not be. The bundle imports them by
 * a relative path through packages/kit/node_modules (the kit depends on them by name; services do
 * not), so the path does not depend on pnpm's store layout.
 */
const LOADER_EXTERNALS = ["import-in-the-middle"];
const KIT_MODULES = join(root, "packages", "kit", "node_modules");

function outsideTheBundle(names: readonly string[], outDir: string): Plugin {
  return {
    name: "orderly:outside-the-bundle",
    async resolveId(source, importer, options) {
      const name = names.find((candidate) => source === candidate || source.startsWith(`${candidate}/`));
      if (name === undefined) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const marker = `/node_modules/${name}/`;
      const at = resolved?.id.lastIndexOf(marker) ?? -1;
      if (!resolved || at < 0) throw new Error(`${source} does not resolve into node_modules/${name}`);
      const viaKit = join(KIT_MODULES, name, resolved.id.slice(at + marker.length));
      if (!existsSync(viaKit))
        throw new Error(`${viaKit} does not exist: @orderly/kit must depend on ${name}`);
      // Every chunk sits in outDir, so one path relative to it serves them all.
      return { id: relative(outDir, viaKit).split("\\").join("/"), external: true };
    },
  };
}

export async function buildService(service: string): Promise<string> {
  const serviceDir = join(root, "services", service);
  const outDir = join(serviceDir, "dist");
  const pkg = JSON.parse(readFileSync(join(serviceDir, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  for (const name of HOOKED_EXTERNALS) {
    if (!pkg.dependencies?.[name])
      throw new Error(`services/${service} must depend on ${name} directly: dist/ imports it by name`);
  }
  await build({
    input: {
      main: join(serviceDir, "src", "main.ts"),
      register: join(root, "packages", "kit", "src", "tracing", "register.mjs"),
    },
    platform: "node",
    cwd: root,
    external: (id) => HOOKED_EXTERNALS.some((name) => id === name || id.startsWith(`${name}/`)),
    plugins: [keepSourceLocation(outDir), outsideTheBundle(LOADER_EXTERNALS, outDir)],
    // main.mjs holds everything main.ts imports statically. A dynamic import stays one: its module
    // becomes a chunk beside it, loaded only when reached (PGlite's driver and its 3 MB only for a
    // pglite: URL). Not minified; source maps beside each chunk for `node --enable-source-maps`
    // (off by default: mapping every stack trace costs at start-up and per error).
    output: {
      dir: outDir,
      entryFileNames: "[name].mjs",
      chunkFileNames: "[name]-[hash].mjs",
      format: "esm",
      cleanDir: true,
      sourcemap: true,
    },
    logLevel: "warn",
    onLog(level, log, handler) {
      // PGlite's Emscripten glue uses direct eval by design; nothing to act on here.
      if (log.code === "EVAL" && log.id?.includes("@electric-sql/pglite")) return;
      handler(level, log);
    },
  });
  return join(outDir, "main.mjs");
}

if (import.meta.main) {
  const wanted = process.argv.slice(2);
  for (const service of wanted.length > 0 ? wanted : ALL_SERVICES) {
    const started = performance.now();
    const file = await buildService(service);
    process.stdout.write(
      `built ${relative(root, file)} in ${Math.round(performance.now() - started)} ms (${dirname(relative(root, file))})\n`,
    );
  }
}
