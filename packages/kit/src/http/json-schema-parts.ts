/*
 * Building blocks for the JSON Schemas of a service's /v1 routes (fastify validates requests and
 * serializes responses with them; they feed /openapi.json). A schema written with them states each
 * field once: `jsonObject` derives `required` from the properties, so adding a field cannot forget
 * to require it.
 */

export const JSON_STRING = { type: "string" } as const;
export const JSON_INTEGER = { type: "integer" } as const;
export const JSON_DATE_TIME = { type: "string", format: "date-time" } as const;

type Properties = Readonly<Record<string, object>>;

export interface JsonObjectOptions<P extends Properties> {
  /** Members that may be absent; every other member is required. */
  optional?: readonly (keyof P & string)[];
  /** `additionalProperties: false`: an unknown member is refused (request schemas). */
  closed?: boolean;
}

/** An object schema whose members are all required unless named in `optional`. */
export function jsonObject<const P extends Properties>(properties: P, options: JsonObjectOptions<P> = {}) {
  const optional = new Set<string>(options.optional ?? []);
  const required = Object.keys(properties).filter((name) => !optional.has(name));
  return {
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    ...(options.closed ? { additionalProperties: false } : {}),
  } as const;
}

/** An array schema of `items`. */
export function jsonArray<const I extends object>(items: I) {
  return { type: "array", items } as const;
}

/**
 * Path parameters that are UUIDs (entity ids): a malformed one is a 400 naming the parameter before
 * the domain sees it.
 */
export function uuidParams(...names: readonly string[]) {
  return jsonObject(
    Object.fromEntries(names.map((name) => [name, { type: "string", format: "uuid" } as const])),
  );
}
