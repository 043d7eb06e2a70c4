/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): where the samples landed, by function
 * (self time) and by package/area, so a profile fits in a README.
 *
 *   node src/profile-summary.ts <file.cpuprofile> [--top 25] [--callers <area>]
 *
 * `--callers <area>` (e.g. `@opentelemetry/context-async-hooks`) lists, for the samples landing in
 * that area, the nearest calling frame outside OpenTelemetry and node:events: who makes it work.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

const PASS_THROUGH = (area: string) => area.startsWith("@opentelemetry") || area === "node:events";
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: { name: string; selfMs: number; share: number }[];
  byArea: { area: string; selfMs: number; share: number }[];
}

/** Which package or part of the code a script URL belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (url === "") {
    if (functionName === "(garbage collector)") return "(gc)";
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(root)")
      return functionName;
    return "(native)";
  }
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  // In these processes the one WebAssembly module is Node's TypeScript type stripper (amaro).
  if (url.startsWith("wasm://")) return "(wasm: type stripping)";
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1] as string;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const kit = /packages\/kit\/src\/([^/]+)/.exec(url);
  if (kit) return `@orderly/kit/${kit[1]}`;
  const contracts = /packages\/contracts\//.exec(url);
  if (contracts) return "@orderly/contracts";
  const service = /services\/([^/]+)\/src\/([^/]+)/.exec(url);
  if (service) return `services/${service[1]}/${service[2]}`;
  return basename(url);
}

export function summarize(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const where = frame.url
      ? `${areaOf(frame.url, frame.functionName)} ${basename(frame.url)}:${frame.lineNumber + 1}`
      : "";
    const key = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const a = areaOf(frame.url, frame.functionName);
    area.set(a, (area.get(a) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 100) / 10,
        share: Math.round((us / total) * 1000) / 10,
      }));
  return {
    totalMs: Math.round(total / 1000),
    byFunction: rank(fn),
    byArea: rank(area).map(({ name, selfMs, share }) => ({ area: name, selfMs, share })),
  };
}

/** Self time of `area`, attributed to the nearest caller outside OpenTelemetry and node:events. */
export function callersOf(profile: CpuProfile, area: string, top = 12): { caller: string; selfMs: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const callers = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || areaOf(frame.url, frame.functionName) !== area) continue;
    let caller = "(root)";
    for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)?.callFrame;
      if (!f) break;
      const a = areaOf(f.url, f.functionName);
      if (!PASS_THROUGH(a)) {
        caller = `${a} ${f.functionName || "(anonymous)"}:${f.lineNumber + 1}`;
        break;
      }
    }
    callers.set(caller, (callers.get(caller) ?? 0) + us);
  }
  return [...callers.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([caller, us]) => ({ caller, selfMs: Math.round(us / 100) / 10 }));
}

if (import.meta.main) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node src/profile-summary.ts <file.cpuprofile> [--top N]");
    process.exit(2);
  }
  const topIndex = process.argv.indexOf("--top");
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const callersIndex = process.argv.indexOf("--callers");
  if (callersIndex > 0) {
    const area = process.argv[callersIndex + 1] ?? "";
    const rows = callersOf(profile, area, top);
    process.stdout.write(
      `${[`Callers of ${area} in ${basename(file)}`, "", "| self ms | caller |", "| ---: | --- |", ...rows.map((r) => `| ${r.selfMs} | \`${r.caller}\` |`)].join("\n")}\n`,
    );
    process.exit(0);
  }
  const summary = summarize(profile, top);
  const lines = [
    `Profile ${basename(file)}: ${summary.totalMs} ms sampled`,
    "",
    "| self % | self ms | area |",
    "| ---: | ---: | --- |",
    ...summary.byArea.map((a) => `| ${a.share} | ${a.selfMs} | ${a.area} |`),
    "",
    "| self % | self ms | function |",
    "| ---: | ---: | --- |",
    ...summary.byFunction.map((f) => `| ${f.share} | ${f.selfMs} | \`${f.name}\` |`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
