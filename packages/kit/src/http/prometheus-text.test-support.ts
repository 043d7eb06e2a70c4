/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests (promtool is not
 * installed). It throws on anything a Prometheus server would reject or misread: bad names, bad
 * escapes, samples before their TYPE, a family split in two, duplicate series, histograms without
 * `le`, non-cumulative buckets, or a +Inf bucket that disagrees with `_count`.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Record<Family["type"], readonly string[]> = {
  counter: ["", "_total"],
  gauge: [""],
  untyped: [""],
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

export function parsePrometheusText(text: string): Map<string, Family> {
  if (!text.endsWith("\n")) throw new Error("exposition must end with a newline");
  const families = new Map<string, Family>();
  const closed = new Set<string>();
  let current: Family | undefined;
  const series = new Set<string>();

  text.split("\n").forEach((line, index) => {
    const at = `line ${index + 1}: ${JSON.stringify(line)}`;
    if (line === "") return;
    if (line.startsWith("#")) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) return; // a plain comment
      const [, kind, name = "", rest = ""] = match;
      if (!METRIC_NAME.test(name)) throw new Error(`${at}: bad metric name`);
      let family = families.get(name);
      if (family && family !== current) throw new Error(`${at}: family ${name} appears twice`);
      if (!family) {
        if (current) closed.add(current.name);
        family = { name, type: "untyped", samples: [] };
        families.set(name, family);
        current = family;
      }
      if (kind === "HELP") {
        if (family.help !== undefined) throw new Error(`${at}: second HELP`);
        family.help = unescapeText(rest, false, at);
      } else {
        if (!TYPES.has(rest)) throw new Error(`${at}: unknown type ${rest}`);
        if (family.samples.length > 0) throw new Error(`${at}: TYPE after samples`);
        family.type = rest as Family["type"];
      }
      return;
    }
    const sample = parseSample(line, at);
    const family = current && familyOf(current, sample.name) ? current : undefined;
    if (!family)
      throw new Error(`${at}: sample outside its family (no TYPE/HELP before it, or family split)`);
    const key = `${sample.name}{${Object.entries(sample.labels)
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(",")}}`;
    if (series.has(key)) throw new Error(`${at}: duplicate series ${key}`);
    series.add(key);
    family.samples.push(sample);
  });

  for (const family of families.values()) if (family.type === "histogram") checkHistogram(family);
  return families;
}

function familyOf(family: Family, sampleName: string): boolean {
  return SUFFIXES[family.type].some((suffix) => `${family.name}${suffix}` === sampleName);
}

function parseSample(line: string, at: string): Sample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)( -?\d+)?$/.exec(line);
  if (!match) throw new Error(`${at}: not a sample line`);
  const [, name = "", labelText, valueText = ""] = match;
  return { name, labels: labelText ? parseLabels(labelText, at) : {}, value: parseValue(valueText, at) };
}

function parseLabels(text: string, at: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 1;
  while (text[i] !== "}") {
    const eq = text.indexOf("=", i);
    if (eq === -1) throw new Error(`${at}: label without '='`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`${at}: bad label name ${name}`);
    if (name in labels) throw new Error(`${at}: label ${name} repeated`);
    if (text[eq + 1] !== '"') throw new Error(`${at}: label value not quoted`);
    let j = eq + 2;
    let raw = "";
    while (text[j] !== '"') {
      if (j >= text.length) throw new Error(`${at}: unterminated label value`);
      if (text[j] === "\\") {
        raw += text.slice(j, j + 2);
        j += 2;
      } else raw += text[j++];
    }
    labels[name] = unescapeText(raw, true, at);
    i = j + 1;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") throw new Error(`${at}: expected ',' or '}' after label ${name}`);
  }
  if (i !== text.length - 1) throw new Error(`${at}: text after labels`);
  return labels;
}

function unescapeText(raw: string, quoted: boolean, at: string): string {
  return raw.replace(/\\(.)/g, (_all, c: string) => {
    if (c === "\\") return "\\";
    if (c === "n") return "\n";
    if (c === '"' && quoted) return '"';
    throw new Error(`${at}: bad escape \\${c}`);
  });
}

function parseValue(text: string, at: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`${at}: bad value ${text}`);
  return Number(text);
}

/** Per label set (without `le`): buckets cumulative, ending at +Inf == _count, with a _sum. */
function checkHistogram(family: Family): void {
  const groups = new Map<string, { buckets: Array<[number, number]>; count?: number; sum?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const group = groups.get(key) ?? { buckets: [] };
    groups.set(key, group);
    if (sample.name.endsWith("_bucket")) {
      if (le === undefined) throw new Error(`${family.name}: bucket without le`);
      group.buckets.push([parseValue(le, family.name), sample.value]);
    } else if (sample.name.endsWith("_count")) group.count = sample.value;
    else group.sum = sample.value;
  }
  for (const [key, group] of groups) {
    const where = `${family.name}${key}`;
    if (group.sum === undefined || group.count === undefined)
      throw new Error(`${where}: missing _sum or _count`);
    const last = group.buckets.at(-1);
    if (!last || last[0] !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket last`);
    if (last[1] !== group.count) throw new Error(`${where}: +Inf bucket ${last[1]} != _count ${group.count}`);
    group.buckets.reduce(
      (prev, [le, value]) => {
        if (le <= prev[0] || value < prev[1]) throw new Error(`${where}: buckets not increasing at le=${le}`);
        return [le, value];
      },
      [Number.NEGATIVE_INFINITY, 0] as [number, number],
    );
  }
}
