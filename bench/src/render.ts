/**
 * Re-renders a report's markdown and chart from its JSON (after a change to the report code, or to
 * look at an old run again): `node src/render.ts results/baseline.json` writes baseline.md and
 * baseline.svg beside it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { toMarkdown } from "./lib/report-markdown.ts";
import { toSvg } from "./lib/report-svg.ts";
import type { BenchReport } from "./lib/result.ts";

const file = process.argv[2];
if (!file?.endsWith(".json")) {
  console.error("usage: node src/render.ts <report.json>");
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, "utf8")) as BenchReport;
const base = file.slice(0, -".json".length);
writeFileSync(`${base}.md`, toMarkdown(report));
writeFileSync(`${base}.svg`, toSvg(report));
process.stdout.write(`wrote ${base}.md and ${base}.svg\n`);
