import { readdirSync, readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// One project per package and service (named after its package.json), each inheriting the shared
// options below; plus the repo-level checks in test/ (generated code, lint rules).
const roots = [
  ...["packages", "services"].flatMap((parent) =>
    readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`),
  ),
  "bench",
];

function packageName(root: string): string {
  return (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { name: string }).name;
}

export default defineConfig({
  test: {
    // Database suites start PGlite (seconds on a busy 2-core machine) and real servers.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      ...roots.map((root) => ({ extends: true as const, test: { name: packageName(root), root } })),
      { extends: true as const, test: { name: "repo", include: ["test/**/*.test.ts"] } },
    ],
  },
});
