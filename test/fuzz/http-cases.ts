import {
  badIntegers,
  badParameters,
  badStrings,
  deeplyNested,
  INVALID_UTF8_MARK,
  type Malformed,
} from "./malformed-values.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema as /openapi.json serves it.
type Schema = any;

/** One HTTP request the fuzz test sends, and what it is meant to probe. */
export interface HttpCase {
  route: string;
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

export const SAMPLE_ID = "01890a5d-ac96-774b-bcce-b302099a8057";
const CANDIDATES = ["FUZZ-1", "US", "EUR", SAMPLE_ID, "fuzz value", "2026-01-01T00:00:00Z"];

/** A value `schema` accepts, chosen without guessing at the domain beyond the schema's words. */
export function sampleOf(schema: Schema, name = ""): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type ?? (schema.properties ? "object" : undefined)) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) out[key] = sampleOf(sub, key);
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        sampleOf(schema.items ?? {}, name),
      );
    case "integer":
    case "number":
      return Math.max(1, schema.minimum ?? 1);
    case "boolean":
      return true;
    default: {
      if (schema.format === "uuid" || /(^|_)id$/.test(name)) return SAMPLE_ID;
      if (/country/.test(name)) return "US";
      if (/currency/.test(name)) return "EUR";
      const pattern = schema.pattern ? new RegExp(schema.pattern, "u") : undefined;
      return (
        CANDIDATES.find(
          (c) =>
            (!pattern || pattern.test(c)) &&
            c.length >= (schema.minLength ?? 0) &&
            c.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY),
        ) ?? "FUZZ-1"
      );
    }
  }
}

/**
 * A free-text path parameter (a SKU is `^[A-Z0-9-]{1,64}$` in the domain, plain string in the
 * schema) may legitimately be "-1" or forty nines: those cases would only test that a valid value
 * is accepted.
 */
function looksValid(schema: Schema, value: string): boolean {
  return schema.type === "string" && !schema.format && !schema.pattern && /^[A-Z0-9-]{1,64}$/.test(value);
}

interface Leaf {
  path: (string | number)[];
  schema: Schema;
}

/** Every scalar inside a sample body with the schema that describes it. */
function leaves(schema: Schema, path: (string | number)[] = []): Leaf[] {
  if (schema.type === "object" || schema.properties)
    return Object.entries(schema.properties ?? {}).flatMap(([k, s]) => leaves(s, [...path, k]));
  if (schema.type === "array") return [{ path, schema }, ...leaves(schema.items ?? {}, [...path, 0])];
  return [{ path, schema }];
}

function withValue(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = value;
  return copy;
}

function objectPaths(schema: Schema, path: (string | number)[] = []): (string | number)[][] {
  if (schema.type === "object" || schema.properties)
    return [
      path,
      ...Object.entries(schema.properties ?? {}).flatMap(([k, s]) => objectPaths(s, [...path, k])),
    ];
  if (schema.type === "array") return objectPaths(schema.items ?? {}, [...path, 0]);
  return [];
}

/** JSON text, with the invalid-UTF-8 mark turned into bytes JSON text cannot hold. */
function encodeBody(value: unknown): Uint8Array | string {
  const text = JSON.stringify(value);
  if (!text.includes(JSON.stringify(INVALID_UTF8_MARK).slice(1, -1))) return text;
  const marker = JSON.stringify(INVALID_UTF8_MARK).slice(1, -1);
  const [before, after] = text.split(marker) as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(after)]);
}

function valuesFor(schema: Schema, name: string, random: () => number): Malformed[] {
  if (schema.type === "integer" || schema.type === "number") return badIntegers();
  if (schema.type === "array")
    return [
      { label: "not an array", value: "x" },
      {
        label: "10001 items",
        value: Array.from({ length: 10_001 }, () => sampleOf(schema.items ?? {}, name)),
      },
      { label: "empty", value: [] },
    ];
  if (schema.type === "boolean") return [{ label: "string boolean", value: "true" }];
  const values = badStrings(random);
  // Well-formed yet unassigned or reserved: what only the ISO 3166 list refuses.
  if (/country/.test(name))
    values.push(
      { label: "reserved XX", value: "XX" },
      { label: "legacy UK", value: "UK" },
      { label: "lower", value: "us" },
    );
  if (/currency/.test(name)) values.push({ label: "unknown XXY", value: "XXY" });
  return values;
}

/**
 * The cases for one operation: each parameter and each body field in turn replaced by every
 * malformed value, the rest kept valid; plus unknown fields at every level, wrong root types,
 * deep nesting and invalid UTF-8 for the body as a whole.
 */
export function casesFor(
  method: string,
  template: string,
  operation: Schema,
  random: () => number,
): HttpCase[] {
  const route = `${method.toUpperCase()} ${template}`;
  const params: Schema[] = operation.parameters ?? [];
  const pathValues: Record<string, string> = {};
  const query: Record<string, string> = {};
  const headers: Record<string, string> = { "content-type": "application/json" };
  for (const p of params) {
    const sample = sampleOf(p.schema ?? {}, p.name);
    const text = String(Array.isArray(sample) ? sample[0] : sample);
    if (p.in === "path") pathValues[p.name] = encodeURIComponent(text);
    else if (p.in === "query") query[p.name] = encodeURIComponent(text);
    else if (p.in === "header" && p.name === "idempotency-key") headers[p.name] = "fuzz-key-1";
  }
  const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
  const body = bodySchema ? sampleOf(bodySchema) : undefined;

  const build = (
    label: string,
    over: {
      path?: Record<string, string>;
      query?: Record<string, string>;
      headers?: Record<string, string>;
      body?: Uint8Array | string;
    },
  ): HttpCase => {
    const pv = { ...pathValues, ...over.path };
    const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => pv[name] ?? "x");
    const q = { ...query, ...over.query };
    const qs = Object.entries(q)
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    const base = bodySchema ? encodeBody(body) : undefined;
    const chosen = over.body ?? base;
    return {
      route,
      label,
      method: method.toUpperCase(),
      path: qs ? `${path}?${qs}` : path,
      headers: { ...headers, ...over.headers },
      ...(chosen !== undefined ? { body: chosen } : {}),
    };
  };

  const cases: HttpCase[] = [];
  for (const p of params) {
    if (p.in === "path")
      for (const v of badParameters(random).filter((v) => !looksValid(p.schema ?? {}, String(v.value))))
        cases.push(build(`path ${p.name}: ${v.label}`, { path: { [p.name]: String(v.value) } }));
    if (p.in === "query")
      for (const v of badParameters(random)) {
        // An opaque filter or token may be any text: only its encoding and size can be wrong.
        cases.push(build(`query ${p.name}: ${v.label}`, { query: { [p.name]: String(v.value) } }));
      }
    if (p.in === "header" && p.name === "idempotency-key")
      cases.push(
        build("header idempotency-key: 10k characters", { headers: { [p.name]: "k".repeat(10_000) } }),
      );
  }
  if (bodySchema) {
    for (const leaf of leaves(bodySchema).filter((l) => l.path.length > 0)) {
      const name = String(leaf.path.filter((k) => typeof k === "string").at(-1) ?? "");
      for (const v of valuesFor(leaf.schema, name, random))
        cases.push(
          build(`body ${leaf.path.join(".") || "(root)"}: ${v.label}`, {
            body: encodeBody(withValue(body, leaf.path, v.value)),
          }),
        );
    }
    for (const at of objectPaths(bodySchema)) {
      const withUnknown =
        at.length === 0
          ? { ...(body as object), coupon: "FREE" }
          : withValue(body, [...at, "coupon"], "FREE");
      cases.push(
        build(`body ${at.join(".") || "(root)"}: unknown field`, { body: JSON.stringify(withUnknown) }),
      );
    }
    for (const [label, raw] of [
      ["root is an array", "[]"],
      ["root is a string", '"x"'],
      ["root is null", "null"],
      ["truncated JSON", '{"a":'],
      ["nested 10k deep", deeplyNested(10_000)],
      ["2 MiB body", JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) })],
    ] as const)
      cases.push(build(`body: ${label}`, { body: raw }));
    cases.push(build("body: invalid UTF-8 outside strings", { body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }));
  }
  return cases;
}
