/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: `promtool check
 * metrics` is not installable here, so this plays its part. It throws on the first violation,
 * naming the line; what it accepts, Prometheus scrapes.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string | undefined;
  samples: Sample[];
}

export class ExpositionError extends Error {
  override name = "ExpositionError";
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPES: ReadonlySet<string> = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

export function parseExposition(text: string): Map<string, MetricFamily> {
  if (text !== "" && !text.endsWith("\n")) throw new ExpositionError("the last line must end with a newline");
  const families = new Map<string, MetricFamily>();
  const seenSeries = new Set<string>();
  let current: MetricFamily | undefined;
  const lines = text.split("\n").slice(0, -1);
  lines.forEach((line, index) => {
    const fail = (problem: string): never => {
      throw new ExpositionError(`line ${index + 1}: ${problem}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      const descriptor = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!descriptor) return; // a plain comment
      const [, keyword, name = "", rest = ""] = descriptor;
      if (!METRIC_NAME.test(name)) fail("invalid metric name");
      const family = families.get(name) ?? {
        name,
        type: "untyped" as MetricType,
        help: undefined,
        samples: [],
      };
      if (family.samples.length > 0) fail(`${keyword} after the family's samples`);
      if (keyword === "HELP") {
        if (family.help !== undefined) fail("second HELP for the family");
        family.help = unescapeText(rest, false, fail);
      } else {
        if (!TYPES.has(rest)) fail("unknown type");
        if (families.has(name) && family.type !== "untyped") fail("second TYPE for the family");
        family.type = rest as MetricType;
      }
      families.set(name, family);
      current = family;
      return;
    }
    const sample = parseSample(line, fail);
    const family = familyOf(sample.name, families) ?? fail("sample of a family without TYPE");
    if (family !== current) fail("samples of a family must be contiguous");
    const series = `${sample.name}{${Object.entries(sample.labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(",")}}`;
    if (seenSeries.has(series)) fail("duplicate series");
    seenSeries.add(series);
    family.samples.push(sample);
  });
  for (const family of families.values()) checkFamily(family);
  return families;
}

function familyOf(sampleName: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const exact = families.get(sampleName);
  if (exact) return exact;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family?.type === "histogram" || (family?.type === "summary" && suffix !== "_bucket")) return family;
  }
  return undefined;
}

function parseSample(line: string, fail: (problem: string) => never): Sample {
  const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line) ?? fail("invalid metric name");
  const name = head[1] ?? "";
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    rest = rest.slice(1);
    while (!rest.startsWith("}")) {
      const label = /^([^=]*)="/.exec(rest) ?? fail("malformed label");
      const labelName = label[1] ?? "";
      if (!LABEL_NAME.test(labelName) || labelName.startsWith("__")) fail(`invalid label name ${labelName}`);
      if (labelName in labels) fail(`label ${labelName} repeated`);
      rest = rest.slice(label[0].length);
      const end = closingQuote(rest) ?? fail("unterminated label value");
      labels[labelName] = unescapeText(rest.slice(0, end), true, fail);
      rest = rest.slice(end + 1);
      if (rest.startsWith(",")) rest = rest.slice(1);
      else if (!rest.startsWith("}")) fail("expected , or } after a label");
    }
    rest = rest.slice(1);
  }
  const fields = /^ (\S+)(?: (-?\d+))?$/.exec(rest) ?? fail("expected ' value [timestamp]'");
  return { name, labels, value: parseValue(fields[1] ?? "", fail) };
}

/** Index of the quote ending a label value, skipping escaped characters. */
function closingQuote(text: string): number | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return undefined;
}

/** HELP text may escape `\\` and `\n`; label values also `\"`. Nothing else. */
function unescapeText(text: string, isLabelValue: boolean, fail: (problem: string) => never): string {
  if (text.includes("\n")) fail("raw newline");
  return text.replace(/\\(.?)/g, (_, escaped: string) => {
    if (escaped === "\\") return "\\";
    if (escaped === "n") return "\n";
    if (escaped === '"' && isLabelValue) return '"';
    return fail(`invalid escape \\${escaped}`);
  });
}

/**
 * As Prometheus reads values (Go's strconv.ParseFloat, minus hex and `_`): the spec writes `NaN`
 * and `+Inf`, but case is ignored, and prom-client 15 does print `Nan` for an empty event-loop
 * mean. Prometheus scrapes that, so this accepts it too.
 */
function parseValue(text: string, fail: (problem: string) => never): number {
  if (/^nan$/i.test(text)) return Number.NaN;
  const infinity = /^([+-]?)inf(?:inity)?$/i.exec(text);
  if (infinity) return infinity[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (!FLOAT.test(text)) fail(`invalid value ${text}`);
  return Number(text);
}

function checkFamily(family: MetricFamily): void {
  const fail = (problem: string): never => {
    throw new ExpositionError(`${family.name}: ${problem}`);
  };
  if (family.type === "counter" && family.samples.some((s) => !(s.value >= 0))) fail("negative counter");
  if (family.type === "histogram") checkHistogram(family, fail);
}

/** Per label set: ascending `le` buckets, cumulative counts, `+Inf` equal to `_count`, a `_sum`. */
function checkHistogram(family: MetricFamily, fail: (problem: string) => never): void {
  const groups = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...labels } = sample.labels;
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    const group = groups.get(key) ?? { buckets: [] };
    groups.set(key, group);
    const suffix = sample.name.slice(family.name.length);
    if (suffix === "_bucket") {
      if (le === undefined) fail("bucket without le");
      group.buckets.push([parseValue(le ?? "", fail), sample.value]);
    } else if (le !== undefined) fail(`le on ${sample.name}`);
    else if (suffix === "_sum") group.sum = sample.value;
    else if (suffix === "_count") group.count = sample.value;
    else fail(`unexpected sample ${sample.name}`);
  }
  for (const [labels, group] of groups) {
    const at = ` for ${labels}`;
    if (group.buckets.length === 0) fail(`no buckets${at}`);
    group.buckets.forEach(([le, count], i) => {
      const previous = group.buckets[i - 1];
      if (previous && !(le > previous[0])) fail(`le not ascending${at}`);
      if (previous && count < previous[1]) fail(`bucket counts not cumulative${at}`);
      if (count < 0) fail(`negative bucket${at}`);
    });
    const last = group.buckets[group.buckets.length - 1];
    if (!last || last[0] !== Number.POSITIVE_INFINITY) fail(`no +Inf bucket${at}`);
    if (group.count === undefined || group.count !== last?.[1])
      fail(`_count differs from the +Inf bucket${at}`);
    if (group.sum === undefined) fail(`no _sum${at}`);
  }
}
