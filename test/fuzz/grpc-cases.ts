import {
  create,
  type DescField,
  type DescMessage,
  type DescMethod,
  type DescService,
  ScalarType,
  toBinary,
} from "@bufbuild/protobuf";
import { junkString } from "./malformed-values.ts";

/** One raw gRPC request the fuzz test sends. */
export interface GrpcCase {
  method: DescMethod;
  label: string;
  bytes: Uint8Array;
}

const SAMPLE_ID = "01890a5d-ac96-774b-bcce-b302099a8057";
// Characters that stand in for bytes a protobuf encoder would never write; replaced after encoding
// with invalid UTF-8 of the same length, so every length prefix stays right.
const MARK_2 = "\u07ff"; // DF BF     -> C3 28 (a lead byte without its continuation)
const MARK_3 = "\ufffc"; // EF BF BC  -> ED A0 80 (a UTF-16 surrogate written as UTF-8)

function sampleScalar(field: DescField & { fieldKind: "scalar" | "list" }, name: string): unknown {
  const scalar = field.scalar;
  switch (scalar) {
    case ScalarType.STRING:
      if (/(^|_)id$/.test(name)) return SAMPLE_ID;
      if (/country/.test(name)) return "US";
      if (/currency/.test(name)) return "EUR";
      return "FUZZ-1";
    case ScalarType.BOOL:
      return true;
    case ScalarType.BYTES:
      return new Uint8Array([1]);
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return 1n;
    case undefined:
      return undefined;
    default:
      return 1;
  }
}

/** A message init with every field set to something plausible (messages to depth 3). */
export function sampleMessage(schema: DescMessage, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (depth > 3) return out;
  for (const field of schema.fields) {
    if (field.oneof) continue;
    const name = field.name;
    if (field.fieldKind === "scalar") out[field.localName] = sampleScalar(field, name);
    else if (field.fieldKind === "enum") out[field.localName] = field.enum.values[1]?.number ?? 0;
    else if (field.fieldKind === "message") out[field.localName] = sampleMessage(field.message, depth + 1);
    else if (field.fieldKind === "list") {
      if (field.listKind === "scalar") out[field.localName] = [sampleScalar(field, name)];
      else if (field.listKind === "enum") out[field.localName] = [field.enum.values[1]?.number ?? 0];
      else out[field.localName] = [sampleMessage(field.message, depth + 1)];
    }
  }
  return out;
}

interface Slot {
  path: (string | number)[];
  field: DescField;
}

function slots(schema: DescMessage, path: (string | number)[] = [], depth = 0): Slot[] {
  if (depth > 3) return [];
  return schema.fields.flatMap((field): Slot[] => {
    if (field.oneof) return [];
    const here = [...path, field.localName];
    if (field.fieldKind === "message") return slots(field.message, here, depth + 1);
    if (field.fieldKind === "list") {
      const self: Slot = { path: here, field };
      if (field.listKind === "message") return [self, ...slots(field.message, [...here, 0], depth + 1)];
      return [self, { path: [...here, 0], field }];
    }
    return [{ path: here, field }];
  });
}

function withValue(root: unknown, path: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = value;
  return copy;
}

function encode(schema: DescMessage, init: Record<string, unknown>): Uint8Array {
  const bytes = toBinary(schema, create(schema, init as never));
  return replaceMarks(bytes);
}

function replaceMarks(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 0xdf && out[i + 1] === 0xbf) out.set([0xc3, 0x28], i);
    if (out[i] === 0xef && out[i + 1] === 0xbf && out[i + 2] === 0xbc) out.set([0xed, 0xa0, 0x80], i);
  }
  return out;
}

function isList(slot: Slot): boolean {
  return slot.field.fieldKind === "list" && typeof slot.path.at(-1) === "string";
}

function malformedFor(slot: Slot, random: () => number): { label: string; value: unknown }[] {
  const field = slot.field;
  if (isList(slot) && field.fieldKind === "list") {
    const one =
      field.listKind === "message"
        ? sampleMessage(field.message, 1)
        : field.listKind === "enum"
          ? 1
          : sampleScalar(field, field.name);
    return [{ label: "10001 entries", value: Array.from({ length: 10_001 }, () => one) }];
  }
  if (field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum"))
    return [
      { label: "unknown enum 999", value: 999 },
      { label: "negative enum", value: -1 },
    ];
  const scalar = field.fieldKind === "scalar" || field.fieldKind === "list" ? field.scalar : undefined;
  switch (scalar) {
    case ScalarType.STRING: {
      const values = [
        { label: "NUL byte", value: "ab\u0000cd" },
        { label: "invalid UTF-8", value: `ab${MARK_2}cd` },
        { label: "lone surrogate (as UTF-8 bytes)", value: `ab${MARK_3}cd` },
        { label: "100k characters", value: "x".repeat(100_000) },
        { label: "seeded junk with controls", value: `\u0007${junkString(random, 40)}` },
      ];
      if (/country/.test(field.name))
        values.push({ label: "reserved XX", value: "XX" }, { label: "legacy UK", value: "UK" });
      return values;
    }
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return [
        { label: "int64 max", value: 2n ** 63n - 1n },
        { label: "int64 min", value: -(2n ** 63n) },
      ];
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return [{ label: "uint64 max", value: 2n ** 64n - 1n }];
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return [
        { label: "int32 max", value: 2 ** 31 - 1 },
        { label: "int32 min", value: -(2 ** 31) },
      ];
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return [{ label: "uint32 max", value: 2 ** 32 - 1 }];
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return [
        { label: "NaN", value: Number.NaN },
        { label: "Infinity", value: Number.POSITIVE_INFINITY },
      ];
    default:
      return [];
  }
}

/** Every field of every method's request in turn malformed, plus malformed messages as a whole. */
export function grpcCasesFor(service: DescService, random: () => number): GrpcCase[] {
  const cases: GrpcCase[] = [];
  for (const method of service.methods) {
    const schema = method.input;
    const base = sampleMessage(schema);
    for (const slot of slots(schema)) {
      for (const v of malformedFor(slot, random))
        cases.push({
          method,
          label: `${slot.path.join(".")}: ${v.label}`,
          bytes: encode(schema, withValue(base, slot.path, v.value)),
        });
    }
    const valid = encode(schema, base);
    cases.push(
      { method, label: "garbage bytes", bytes: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]) },
      { method, label: "truncated message", bytes: valid.slice(0, Math.max(1, valid.length - 3)) },
      // Field 999, varint: unknown to every request (proto3 keeps unknown fields; on an otherwise
      // empty request it must change nothing).
      { method, label: "unknown field 999", bytes: Uint8Array.from([0xb8, 0x3e, 0x01]) },
      { method, label: "all fields empty", bytes: new Uint8Array() },
    );
  }
  return cases;
}
