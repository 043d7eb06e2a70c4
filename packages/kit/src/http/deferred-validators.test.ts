import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { compileDeferredValidators, compileOnFirstUse } from "./deferred-validators.ts";

type Check = ((data: unknown) => boolean) & { errors?: unknown };

/** A stand-in for an ajv validator: accepts numbers, counts how often it was compiled. */
function countingCompiler(): { compile: () => Check; compiled: () => number } {
  let count = 0;
  return {
    compile: () => {
      count++;
      const check: Check = (data) => {
        check.errors = typeof data === "number" ? null : [{ message: "must be number" }];
        return typeof data === "number";
      };
      return check;
    },
    compiled: () => count,
  };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("compileOnFirstUse", () => {
  it("when nothing validates yet, then nothing is compiled; the first call compiles once and answers with its errors", () => {
    app = Fastify();
    const compiler = countingCompiler();
    const validate = compileOnFirstUse(app, compiler.compile);
    expect(compiler.compiled()).toBe(0);

    expect(validate("seven")).toBe(false);
    expect(validate.errors).toEqual([{ message: "must be number" }]);
    expect(validate(7)).toBe(true);
    expect(validate.errors).toBeNull();
    expect(compiler.compiled()).toBe(1);
  });

  it("when the deferred compilation runs, then every pending validator compiles once, and never again on use", () => {
    app = Fastify();
    const compiler = countingCompiler();
    const first = compileOnFirstUse(app, compiler.compile);
    compileOnFirstUse(app, compiler.compile);
    first(1);
    expect(compiler.compiled()).toBe(1);

    compileDeferredValidators(app);
    compileDeferredValidators(app);
    first(2);
    expect(compiler.compiled()).toBe(2);
  });

  it("when a schema cannot compile, then the deferred compilation throws its error", () => {
    app = Fastify();
    compileOnFirstUse(app, () => {
      throw new Error("schema is invalid: unknown $ref");
    });
    expect(() => compileDeferredValidators(app as FastifyInstance)).toThrow("unknown $ref");
  });
});
