/**
 * `pnpm --filter @orderly/client build`: JavaScript + .d.ts into dist/.
 *
 * @orderly/contracts is private to the monorepo (and ships TypeScript), so the build compiles the
 * generated files the client uses next to it (dist/contracts/...) and rewrites the
 * `@orderly/contracts/<name>` specifiers in the emitted client to relative paths. What is left are
 * the published dependencies: @grpc/grpc-js and @bufbuild/protobuf.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const packageRoot = join(import.meta.dirname, "..");
const dist = join(packageRoot, "dist");
const contractsRoot = join(packageRoot, "../contracts");

rmSync(dist, { recursive: true, force: true });
const localTsc = join(packageRoot, "../../node_modules/.bin/tsc");
execFileSync(existsSync(localTsc) ? localTsc : "tsc", ["-p", "tsconfig.build.json"], {
  cwd: packageRoot,
  stdio: "inherit",
});

const exportsMap = (
  JSON.parse(readFileSync(join(contractsRoot, "package.json"), "utf8")) as {
    exports: Record<string, string>;
  }
).exports;

/** `@orderly/contracts/order` -> the emitted file of `./src/gen/.../order_pb.ts`, relative to `fromFile`. */
function resolveContract(subpath: string, fromFile: string): string {
  const target = exportsMap[`./${subpath}`];
  if (!target) throw new Error(`@orderly/contracts/${subpath} is not exported by @orderly/contracts`);
  const emitted = join(dist, "contracts", target.replace(/\.ts$/, ".js"));
  if (!existsSync(emitted)) throw new Error(`${emitted} was not emitted`);
  const path = relative(dirname(fromFile), emitted);
  return path.startsWith(".") ? path : `./${path}`;
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (path.endsWith(".js") || path.endsWith(".d.ts")) yield path;
  }
}

let rewritten = 0;
for (const file of files(join(dist, "client"))) {
  const source = readFileSync(file, "utf8");
  const output = source.replace(
    /(["'])@orderly\/contracts\/([a-z-]+)\1/g,
    (_match, quote: string, subpath: string) => {
      rewritten++;
      return `${quote}${resolveContract(subpath, file)}${quote}`;
    },
  );
  if (/["']@orderly\//.test(output)) throw new Error(`${file} still imports a workspace package`);
  if (output !== source) writeFileSync(file, output);
}
process.stdout.write(
  `built ${relative(process.cwd(), dist)} (${rewritten} contract imports pointed at dist/contracts)\n`,
);
