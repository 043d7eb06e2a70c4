/**
 * Just enough Prometheus for the deploy tests: the series names a /metrics page offers, the metric
 * names a PromQL expression reads, and relabelling (keep/drop/replace) as a scrape config applies it.
 */

/** Series names a scrape of this exposition yields: histograms as _bucket/_sum/_count, and so on. */
export function seriesNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split("\n")) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/.exec(line);
    if (type?.[1] && type[2]) {
      const [name, kind] = [type[1], type[2]];
      if (kind === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) names.add(name + suffix);
      else if (kind === "summary") for (const suffix of ["", "_sum", "_count"]) names.add(name + suffix);
      else names.add(name);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample?.[1]) names.add(sample[1]);
  }
  return names;
}

/** PromQL words that are not metric names when they stand alone (functions are told apart by "("). */
const KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "and",
  "or",
  "unless",
  "offset",
  "inf",
  "nan",
]);

/**
 * The metric names a PromQL expression selects. Grafana variables (`$service`, `$__rate_interval`)
 * are allowed where PromQL allows them: in label matchers and range selectors.
 */
export function metricNamesIn(expression: string): Set<string> {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\boffset\s+\S+/g, " ");
  const names = new Set<string>();
  for (const match of stripped.matchAll(/(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice((match.index ?? 0) + word.length).trimStart();
    if (after.startsWith("(") || KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return names;
}

export interface RelabelRule {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: string;
}

/**
 * Applies relabel_configs to a target's labels as Prometheus does (regex fully anchored, `$1`-style
 * references in the replacement); returns undefined when the target is dropped.
 */
export function relabel(
  labels: Readonly<Record<string, string>>,
  rules: readonly RelabelRule[],
): Record<string, string> | undefined {
  const result: Record<string, string> = { ...labels };
  for (const rule of rules) {
    const action = rule.action ?? "replace";
    const value = (rule.source_labels ?? []).map((name) => result[name] ?? "").join(rule.separator ?? ";");
    const regex = new RegExp(`^(?:${rule.regex ?? "(.*)"})$`);
    const match = regex.exec(value);
    if (action === "keep") {
      if (!match) return undefined;
    } else if (action === "drop") {
      if (match) return undefined;
    } else if (action === "replace") {
      if (!match || !rule.target_label) continue;
      const replaced = (rule.replacement ?? "$1").replace(
        /\$\{?(\d+)\}?/g,
        (_all, group: string) => match[Number(group)] ?? "",
      );
      if (replaced === "") delete result[rule.target_label];
      else result[rule.target_label] = replaced;
    } else {
      throw new Error(`relabel action ${action} is not supported by this test helper`);
    }
  }
  return result;
}
