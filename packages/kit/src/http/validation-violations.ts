import type { FastifySchemaValidationError } from "fastify";
import type { FieldViolation } from "../errors/index.ts";

/** Where fastify found the bad input (`error.validationContext`). */
export type ValidationPart = "body" | "params" | "querystring" | "headers" | string;

/** More than this and the client has sent something else entirely; the rest adds nothing. */
const MAX_VIOLATIONS = 20;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Turns ajv errors into field violations a client can act on. Body fields are paths under `body`
 * (`body.lines[0].quantity`), so the malformed-JSON case (`body`) and a nested field read alike;
 * path, query and header parameters are named as the client wrote them (`sku`, `limit`).
 */
export function toFieldViolations(
  errors: readonly FastifySchemaValidationError[],
  part: ValidationPart,
): FieldViolation[] {
  const seen = new Set<string>();
  const violations: FieldViolation[] = [];
  for (const error of errors) {
    const violation = toViolation(error, part);
    const key = `${violation.field}\n${violation.description}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push(violation);
    if (violations.length === MAX_VIOLATIONS) break;
  }
  if (violations.length === 0) violations.push({ field: rootOf(part), description: "is invalid" });
  return violations;
}

function toViolation(error: FastifySchemaValidationError, part: ValidationPart): FieldViolation {
  const segments = pointerSegments(error.instancePath);
  const params = error.params;
  switch (error.keyword) {
    case "required":
      return {
        field: fieldName(part, [...segments, String(params.missingProperty)]),
        description: "is required",
      };
    case "additionalProperties":
      return {
        field: fieldName(part, [...segments, String(params.additionalProperty)]),
        description: "is not allowed",
      };
    case "enum":
      return {
        field: fieldName(part, segments),
        description: `must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}`,
      };
    default:
      return { field: fieldName(part, segments), description: error.message ?? "is invalid" };
  }
}

/** RFC 6901 JSON pointer (`/lines/0/quantity`) to its unescaped segments. */
function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function fieldName(part: ValidationPart, segments: readonly string[]): string {
  if (part !== "body") {
    // A parameter is one flat name; anything below it (an array query value) is indexed.
    const [name, ...rest] = segments;
    return name === undefined ? rootOf(part) : name + rest.map((s) => `[${s}]`).join("");
  }
  let path = "body";
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

function rootOf(part: ValidationPart): string {
  switch (part) {
    case "querystring":
      return "query";
    case "params":
      return "path";
    default:
      return part;
  }
}
