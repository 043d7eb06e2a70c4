import { isUtf8 } from "node:buffer";
import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifyInstance, FastifySchema } from "fastify";
import { findUnusableText } from "../domain/unusable-text.ts";
import { validationError } from "../errors/index.ts";
import { compileOnFirstUse } from "./deferred-validators.ts";

/*
 * Bodies are strict: an unknown field is a 400 naming it and no value changes type ("2" is not 2,
 * true is not 1). Fastify's single ajv coerces and strips for every part of a request; query
 * strings and path parameters arrive as text and need that, JSON bodies don't. So: two ajv
 * instances, chosen per part. Fastify's own compiler (@fastify/ajv-compiler) wraps the same ajv
 * with one configuration for all parts, which is exactly what we must not have.
 */
// allErrors: report every violation, not just the first (bodies are bounded by bodyLimit, and a
// client fixing a form wants the whole list at once).
const COMMON: Options = { allErrors: true, useDefaults: true, strict: false };

/** Every object in a body schema that lists its properties and says nothing else admits no others. */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== "object" || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` maps names to schemas; recurse into each schema, not into the map as one.
    copy[key] =
      key === "properties" && typeof value === "object" && value !== null
        ? Object.fromEntries(Object.entries(value).map(([name, s]) => [name, closeObjects(s)]))
        : closeObjects(value);
  }
  if ("properties" in copy && !("additionalProperties" in copy)) copy.additionalProperties = false;
  return copy;
}

export function installStrictValidation(app: FastifyInstance): void {
  const body = addFormats.default(new Ajv({ ...COMMON, coerceTypes: false, removeAdditional: false }));
  const text = addFormats.default(new Ajv({ ...COMMON, coerceTypes: "array", removeAdditional: true }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    compileOnFirstUse(app, () =>
      httpPart === "body" ? body.compile(closeObjects(schema) as FastifySchema) : text.compile(schema),
    ),
  );

  // JSON.parse turns invalid UTF-8 into U+FFFD silently; a client sending it has a bug to hear about.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, raw, done) => {
    const buffer = raw as Buffer;
    if (!isUtf8(buffer)) {
      done(validationError({ field: "body", description: "must be valid UTF-8" }), undefined);
      return;
    }
    parseJson(request, buffer.toString("utf8"), (error, body) => {
      if (error) {
        done(error, undefined);
        return;
      }
      // NUL, other controls and lone surrogates (JSON's "\ud800" escape) are nobody's text,
      // whichever field they arrive in: refused here, naming the field, before any schema or handler.
      // Named as the domain and gRPC name fields (`shipping_address.city`), not as schema paths.
      const bad = findUnusableText(body);
      done(bad ? validationError(bad) : null, bad ? undefined : body);
    });
  });

  // Query strings and path parameters: the same rule, named as the parameter. A callback hook, not
  // an async one: it runs on every request, and an async hook costs a promise and a microtask each.
  app.addHook("preValidation", (request, _reply, done) => {
    const bad = findUnusableText(request.params) ?? findUnusableText(request.query);
    done(bad ? validationError(bad) : undefined);
  });
}
