import type { FastifyInstance } from "fastify";

/** A validator as fastify calls it: it reads `errors` off the function after a `false`. */
type Validator = ((data: unknown) => unknown) & { errors?: unknown };

const pending = new WeakMap<FastifyInstance, Set<() => unknown>>();

/**
 * A validator compiled when first needed instead of when fastify asks for it. Fastify compiles every
 * route's schemas in `ready()`, before the server listens: on inventory 13 ajv compilations took
 * ~85 ms, a tenth of the CPU time to ready. Deferred, they run after the service is serving
 * (compileDeferredValidators, called by the kit's Service) or, should a request arrive first, on
 * that route's first request; either way each schema is compiled once, by the same compiler.
 */
export function compileOnFirstUse<V extends Validator>(app: FastifyInstance, compile: () => V): V {
  let queue = pending.get(app);
  if (!queue) {
    queue = new Set();
    pending.set(app, queue);
  }
  const waiting = queue;
  let compiled: V | undefined;
  const ensure = (): V => {
    if (!compiled) {
      compiled = compile();
      waiting.delete(ensure);
    }
    return compiled;
  };
  waiting.add(ensure);
  const validate = ((data: unknown) => {
    const target = ensure();
    const result = target(data);
    validate.errors = target.errors;
    return result;
  }) as V;
  return validate;
}

/** Compiles every validator of `app` not compiled yet; throws the first schema that fails to compile. */
export function compileDeferredValidators(app: FastifyInstance): void {
  const queue = pending.get(app);
  if (!queue) return;
  for (const ensure of [...queue]) ensure();
}
