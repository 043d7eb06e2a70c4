import { describe, expect, it } from "vitest";
import { AppError, Code, failedPrecondition, validationError } from "../errors/index.ts";
import { toProblem } from "./problem-details.ts";

describe("toProblem", () => {
  it("when a domain AppError is mapped, then status comes from its code and the body names reason and code", () => {
    const error = failedPrecondition("INSUFFICIENT_STOCK", "only 2 of SKU-1 left", {
      sku: "SKU-1",
      available: 2,
    });

    const { status, body } = toProblem(error, "/v1/items/SKU-1/reservations");

    expect(status).toBe(422);
    expect(body).toEqual({
      type: "https://orderly.dev/problems/insufficient-stock",
      title: "Insufficient stock",
      status: 422,
      detail: "only 2 of SKU-1 left",
      instance: "/v1/items/SKU-1/reservations",
      reason: "INSUFFICIENT_STOCK",
      code: "FAILED_PRECONDITION",
      details: { sku: "SKU-1", available: 2 },
    });
  });

  it("when an AppError has no details, then the body has no details member", () => {
    const { body } = toProblem(
      new AppError({ code: Code.UNAVAILABLE, reason: "PEER_DOWN", message: "invoice down" }),
    );

    expect(body.status).toBe(503);
    expect(body).not.toHaveProperty("details");
    expect(body).not.toHaveProperty("instance");
  });

  it("when a validation error is mapped, then it is a 400 naming the field", () => {
    const { status, body } = toProblem(
      validationError({ field: "body.lines[0].quantity", description: "must be >= 1" }),
    );

    expect(status).toBe(400);
    expect(body.reason).toBe("VALIDATION_FAILED");
    expect(body.details).toEqual({
      field: "body.lines[0].quantity",
      violations: [{ field: "body.lines[0].quantity", description: "must be >= 1" }],
    });
  });

  it("when an unknown error is mapped, then it is a 500 INTERNAL whose message is scrubbed and cause kept for the log", () => {
    const cause = new Error("password=hunter2 rejected by db");

    const problem = toProblem(cause);

    expect(problem.status).toBe(500);
    expect(problem.body).toMatchObject({ reason: "INTERNAL", code: "INTERNAL", detail: "internal error" });
    expect(JSON.stringify(problem.body)).not.toContain("hunter2");
    expect(problem.error.cause).toBe(cause);
  });

  it("when something that is not an Error is thrown, then it is still a 500 problem", () => {
    expect(toProblem("just a string").status).toBe(500);
    expect(toProblem(undefined).body.code).toBe("INTERNAL");
  });

  it("when an error merely claims a 4xx status but is not fastify's, then it is still INTERNAL", () => {
    const foreign = Object.assign(new Error("secret detail"), { statusCode: 400, code: "ECONNRESET" });

    const { status, body } = toProblem(foreign);

    expect(status).toBe(500);
    expect(body.detail).toBe("internal error");
  });
});
