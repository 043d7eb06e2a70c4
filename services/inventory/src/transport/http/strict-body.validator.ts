import { AjvCompiler } from "@fastify/ajv-compiler";
import type { FastifySchemaCompiler } from "fastify";

/*
 * Fastify's default ajv options suit query strings and paths (everything arrives as text, so
 * "5" must become 5) but not JSON bodies: `removeAdditional` silently drops unknown fields (a
 * misspelt `adjustmnt_id` would vanish instead of failing) and `coerceTypes` turns "5" or true into
 * numbers. A body is JSON that has types, so its schema is applied as written: an unknown field is a
 * 400 naming it ("body.<field> is not allowed"), a string where a number belongs is a 400 too.
 * The kit's createHttpServer has no option for this; until it does, the inventory's routes set it.
 */

const build = AjvCompiler();
// allErrors as in the kit's server: a client fixing a form wants every problem at once.
const bodyCompiler = build(
  {},
  { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false } },
);
const textCompiler = build({}, { customOptions: { allErrors: true } });

type CompileFromRoute = (route: Parameters<FastifySchemaCompiler<unknown>>[0]) => unknown;

/** The validator compiler for the inventory's /v1 routes: strict JSON bodies, fastify's defaults elsewhere. */
export const strictBodyValidatorCompiler: FastifySchemaCompiler<unknown> = (route) => {
  // The package's types describe the pool's compiler as (schema) => …; it is called with the route.
  const compile = (route.httpPart === "body" ? bodyCompiler : textCompiler) as unknown as CompileFromRoute;
  return compile(route) as ReturnType<FastifySchemaCompiler<unknown>>;
};
