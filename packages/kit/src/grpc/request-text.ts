import { isUtf8 } from "node:buffer";
import { type DescMessage, type Message, ScalarType } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { findUnusableText, unusableTextProblem } from "../domain/unusable-text.ts";
import type { FieldViolation } from "../errors/index.ts";

/**
 * The first string field of a decoded request that is not text (NUL, other controls), named by its
 * proto path (`shipping_address.city`, `lines[2].sku`): the same rule and the same names as HTTP.
 */
export function findUnusableRequestText(schema: DescMessage, message: Message): FieldViolation | undefined {
  // Nearly every request is clean: a walk building no paths says so; a bad one is walked again.
  return hasUnusableText(schema, message, 0) ? locate(schema, message, "") : undefined;
}

function hasUnusableText(schema: DescMessage, message: Message, depth: number): boolean {
  if (depth > 32) return false;
  const record = message as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    if (field.oneof) continue;
    const value = record[field.localName];
    if (field.fieldKind === "scalar") {
      if (typeof value === "string" && unusableTextProblem(value) !== undefined) return true;
    } else if (field.fieldKind === "message") {
      if (value && hasUnusableText(field.message, value as Message, depth + 1)) return true;
    } else if (field.fieldKind === "list" && Array.isArray(value)) {
      for (const item of value) {
        if (field.listKind === "message" && hasUnusableText(field.message, item as Message, depth + 1))
          return true;
        if (typeof item === "string" && unusableTextProblem(item) !== undefined) return true;
      }
    }
  }
  return false;
}

function locate(schema: DescMessage, message: Message, path: string): FieldViolation | undefined {
  const record = message as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    const here = path ? `${path}.${field.name}` : field.name;
    const value = field.oneof ? undefined : record[field.localName];
    if (field.fieldKind === "scalar" && field.scalar === ScalarType.STRING) {
      const found = findUnusableText(value, here);
      if (found) return found;
    } else if (field.fieldKind === "message" && value) {
      const found = locate(field.message, value as Message, here);
      if (found) return found;
    } else if (field.fieldKind === "list" && Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found =
          field.listKind === "message"
            ? locate(field.message, value[i] as Message, `${here}[${i}]`)
            : field.listKind === "scalar" && field.scalar === ScalarType.STRING
              ? findUnusableText(value[i], `${here}[${i}]`)
              : undefined;
        if (found) return found;
      }
    }
  }
  return undefined;
}

/**
 * Which string field of undecodable request bytes holds invalid UTF-8 (proto3 strings must be
 * UTF-8, so protobuf-es refuses the whole message). Undefined when the bytes are broken otherwise.
 */
export function findInvalidUtf8(
  schema: DescMessage,
  bytes: Uint8Array,
  path = "",
  depth = 0,
): string | undefined {
  if (depth > 32) return undefined;
  const counts = new Map<number, number>();
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [number, wireType] = reader.tag();
      const field = schema.fields.find((f) => f.number === number);
      if (wireType !== WireType.LengthDelimited || !field) {
        reader.skip(wireType, number);
        continue;
      }
      const chunk = reader.bytes();
      const index = counts.get(number) ?? 0;
      counts.set(number, index + 1);
      const here = `${path ? `${path}.` : ""}${field.name}${field.fieldKind === "list" ? `[${index}]` : ""}`;
      const isString =
        (field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar")) &&
        field.scalar === ScalarType.STRING;
      if (isString && !isUtf8(chunk)) return here;
      const child =
        field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message")
          ? field.message
          : undefined;
      if (child) {
        const found = findInvalidUtf8(child, chunk, here, depth + 1);
        if (found) return found;
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}
