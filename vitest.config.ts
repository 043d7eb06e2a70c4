import { defineConfig } from "vitest/config";

// One project per package and service (each folder's package.json names it), plus the repo-level
// checks in test/ (generated code freshness, lint rules).
export default defineConfig({
  test: {
    projects: [
      "packages/*",
      "services/*",
      "bench",
      {
        test: {
          name: "repo",
          include: ["test/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
