import { describe, expect, it } from "vitest";
import {
  AppError,
  failedPrecondition,
  isAppError,
  isTransient,
  notFound,
  toAppError,
  unavailable,
  validationError,
} from "./app-error.ts";
import { Code, codeName, httpStatusOf, isCode } from "./status-code.ts";

describe("AppError", () => {
  it("when built, then it carries code, reason, message and details, and is an Error with a stack", () => {
    const error = new AppError({
      code: Code.NOT_FOUND,
      reason: "ITEM_NOT_FOUND",
      message: "item MUG-1 not found",
      details: { sku: "MUG-1" },
    });

    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "AppError",
      code: Code.NOT_FOUND,
      codeName: "NOT_FOUND",
      reason: "ITEM_NOT_FOUND",
      message: "item MUG-1 not found",
      details: { sku: "MUG-1" },
    });
    expect(error.stack).toContain("item MUG-1 not found");
    expect(isAppError(error)).toBe(true);
    expect(isAppError(new Error("plain"))).toBe(false);
  });

  it("when built without details or cause, then details is empty and there is no cause", () => {
    const error = new AppError({ code: Code.ABORTED, reason: "CONFLICT", message: "try again" });

    expect(error.details).toEqual({});
    expect("cause" in error).toBe(false);
  });

  it("when serialised to JSON, then it shows the code name, reason, message and details but never the cause", () => {
    const error = new AppError({
      code: Code.FAILED_PRECONDITION,
      reason: "ORDER_NOT_CANCELLABLE",
      message: "order is shipped",
      details: { state: "SHIPPED" },
      cause: new Error("password=hunter2"),
    });

    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: "FAILED_PRECONDITION",
      reason: "ORDER_NOT_CANCELLABLE",
      message: "order is shipped",
      details: { state: "SHIPPED" },
    });
  });
});

describe("validationError", () => {
  it("when given one violation, then it is INVALID_ARGUMENT VALIDATION_FAILED naming the field", () => {
    const error = validationError({ field: "lines[0].quantity", description: "must be at least 1" });

    expect(error).toMatchObject({
      code: Code.INVALID_ARGUMENT,
      reason: "VALIDATION_FAILED",
      message: "lines[0].quantity: must be at least 1",
      details: {
        field: "lines[0].quantity",
        violations: [{ field: "lines[0].quantity", description: "must be at least 1" }],
      },
    });
    expect(httpStatusOf(error.code)).toBe(400);
  });

  it("when given several violations, then the message lists all, field names the first, violations keeps each", () => {
    const violations = [
      { field: "customer_id", description: "is required" },
      { field: "currency", description: "must be an ISO 4217 code" },
    ] as const;

    const error = validationError(violations);

    expect(error.message).toBe("customer_id: is required; currency: must be an ISO 4217 code");
    expect(error.details).toEqual({ field: "customer_id", violations });
  });
});

describe("helpers for common outcomes", () => {
  it("when notFound, failedPrecondition or unavailable are used, then each has its code and keeps reason and message", () => {
    const cause = new Error("ECONNREFUSED");

    expect(notFound("ORDER_NOT_FOUND", "no such order", { id: "o-1" })).toMatchObject({
      code: Code.NOT_FOUND,
      reason: "ORDER_NOT_FOUND",
      message: "no such order",
      details: { id: "o-1" },
    });
    expect(failedPrecondition("INSUFFICIENT_STOCK", "only 2 left")).toMatchObject({
      code: Code.FAILED_PRECONDITION,
      reason: "INSUFFICIENT_STOCK",
      details: {},
    });
    const down = unavailable("PEER_UNAVAILABLE", "inventory is down", cause);
    expect(down).toMatchObject({
      code: Code.UNAVAILABLE,
      reason: "PEER_UNAVAILABLE",
      message: "inventory is down",
    });
    expect(down.cause).toBe(cause);
  });
});

describe("toAppError", () => {
  it("when given an AppError, then it is returned as it is", () => {
    const error = notFound("ITEM_NOT_FOUND", "no item");

    expect(toAppError(error)).toBe(error);
  });

  it("when given an unknown error, then it becomes INTERNAL 'internal error' with the original kept as cause", () => {
    const original = new Error('duplicate key value violates unique constraint "users_email_key" (a@b.c)');

    const error = toAppError(original);

    expect(error).toMatchObject({
      code: Code.INTERNAL,
      reason: "INTERNAL",
      message: "internal error",
      details: {},
    });
    expect(error.cause).toBe(original);
    expect(JSON.stringify(error)).not.toContain("a@b.c");
  });

  it("when given something that is not an Error at all, then it is scrubbed the same way", () => {
    for (const thrown of ["a string", 42, undefined, { secret: "x" }]) {
      const error = toAppError(thrown);

      expect(error.message).toBe("internal error");
      expect(error.code).toBe(Code.INTERNAL);
      expect(error.cause).toBe(thrown);
    }
  });
});

describe("isTransient", () => {
  it.each([
    ["UNAVAILABLE", Code.UNAVAILABLE, true],
    ["DEADLINE_EXCEEDED", Code.DEADLINE_EXCEEDED, true],
    ["RESOURCE_EXHAUSTED", Code.RESOURCE_EXHAUSTED, true],
    ["ABORTED", Code.ABORTED, true],
    ["INVALID_ARGUMENT", Code.INVALID_ARGUMENT, false],
    ["NOT_FOUND", Code.NOT_FOUND, false],
    ["FAILED_PRECONDITION", Code.FAILED_PRECONDITION, false],
    ["INTERNAL", Code.INTERNAL, false],
    ["CANCELLED", Code.CANCELLED, false],
  ] as const)("when an AppError is %s, then transient is %s", (_name, code, transient) => {
    expect(isTransient(new AppError({ code, reason: "X", message: "x" }))).toBe(transient);
  });

  it("when a foreign error carries a gRPC status code (as grpc-js errors do), then its code decides", () => {
    expect(isTransient(Object.assign(new Error("14 UNAVAILABLE"), { code: 14 }))).toBe(true);
    expect(isTransient(Object.assign(new Error("5 NOT_FOUND"), { code: 5 }))).toBe(false);
  });

  it("when an error has no gRPC code (a Node system error, a plain value), then it is not transient", () => {
    expect(isTransient(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(
      false,
    );
    expect(isTransient(new Error("plain"))).toBe(false);
    expect(isTransient("UNAVAILABLE")).toBe(false);
    expect(isTransient(null)).toBe(false);
    expect(isTransient({ code: 99 })).toBe(false);
  });
});

describe("httpStatusOf", () => {
  it.each([
    ["OK", 200],
    ["CANCELLED", 499],
    ["UNKNOWN", 500],
    ["INVALID_ARGUMENT", 400],
    ["DEADLINE_EXCEEDED", 504],
    ["NOT_FOUND", 404],
    ["ALREADY_EXISTS", 409],
    ["PERMISSION_DENIED", 403],
    ["RESOURCE_EXHAUSTED", 429],
    ["FAILED_PRECONDITION", 422],
    ["ABORTED", 409],
    ["OUT_OF_RANGE", 400],
    ["UNIMPLEMENTED", 501],
    ["INTERNAL", 500],
    ["UNAVAILABLE", 503],
    ["DATA_LOSS", 500],
    ["UNAUTHENTICATED", 401],
  ] as const)("when the code is %s, then the HTTP status is %i", (name, status) => {
    expect(httpStatusOf(Code[name])).toBe(status);
  });

  it("when the number is outside the code space (a peer's newer code), then the HTTP status is 500", () => {
    expect(httpStatusOf(17 as Code)).toBe(500);
  });

  it("when every code is mapped, then none is left out of the table above", () => {
    expect(Object.keys(Code)).toHaveLength(17);
  });
});

describe("codes", () => {
  it("when a code is named, then the name round-trips, and only the 17 gRPC codes count as codes", () => {
    for (const [name, value] of Object.entries(Code)) expect(codeName(value)).toBe(name);
    expect(isCode(0)).toBe(true);
    expect(isCode(16)).toBe(true);
    expect(isCode(17)).toBe(false);
    expect(isCode(-1)).toBe(false);
    expect(isCode("14")).toBe(false);
  });
});

describe("validationError with many violations", () => {
  it("when a request has 10,000 bad fields, then the first 20 are named and the rest counted", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      field: `lines[${i}].sku`,
      description: "is required",
    }));
    const error = validationError(many);
    expect((error.details.violations as unknown[]).length).toBe(20);
    expect(error.details.omitted_violations).toBe(9_980);
    expect(error.message).toMatch(/^lines\[0\]\.sku: is required; .*; and 9980 more$/);
    expect(error.message.length).toBeLessThan(1000);
  });
});
