import { create, createRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import { anyPack, anyUnpack } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  RetryInfoSchema,
} from "@orderly/contracts/google-rpc-error-details";
import { StatusSchema } from "@orderly/contracts/google-rpc-status";
import { describe, expect, it } from "vitest";
import { AppError, Code, validationError } from "../errors/index.ts";
import { fromGrpcError, toGrpcStatus } from "./error-mapping.ts";
import { STATUS_DETAILS_KEY } from "./rich-status.ts";
import { testKit } from "./test-harness.ts";

const googleRpcTypes = createRegistry(ErrorInfoSchema, BadRequestSchema, RetryInfoSchema);

/** What a grpc-js client hands back for a status: an Error carrying code, details and trailers. */
function serviceError(status: {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}): grpc.ServiceError {
  return Object.assign(new Error(`${status.code} ${status.details}`), status);
}

/** The google.rpc.Status in the trailers, decoded with the standard messages only. */
function standardDetails(metadata: grpc.Metadata) {
  const status = fromBinary(StatusSchema, metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
  return { status, details: status.details.map((any) => anyUnpack(any, googleRpcTypes)) };
}

describe("toGrpcStatus / fromGrpcError", () => {
  it("when an AppError crosses the wire, then the trailers hold a google.rpc.Status whose ErrorInfo names the reason in domain orderly.dev", () => {
    const original = new AppError({
      code: Code.NOT_FOUND,
      reason: "ITEM_NOT_FOUND",
      message: "no item with sku NOPE",
      details: { skus: ["NOPE"], sku_count: 1 },
    });

    const { status, details } = standardDetails(toGrpcStatus(original).metadata);

    expect(status).toMatchObject({ code: grpc.status.NOT_FOUND, message: "no item with sku NOPE" });
    expect(details).toEqual([
      expect.objectContaining({
        $typeName: "google.rpc.ErrorInfo",
        reason: "ITEM_NOT_FOUND",
        domain: "orderly.dev",
        metadata: { skus: '["NOPE"]', sku_count: "1" },
      }),
    ]);
  });

  it("when an AppError crosses the wire, then the caller rebuilds the same code, reason, message and details", () => {
    const original = new AppError({
      code: Code.FAILED_PRECONDITION,
      reason: "INSUFFICIENT_STOCK",
      message: "not enough stock",
      details: {
        reservation_id: "r-1",
        quantity: 3n,
        shortages: [{ sku: "A", requested: 2, available: 1 }],
      },
    });

    const rebuilt = fromGrpcError(serviceError(toGrpcStatus(original)));

    expect(rebuilt).toBeInstanceOf(AppError);
    expect(rebuilt).toMatchObject({
      code: Code.FAILED_PRECONDITION,
      reason: "INSUFFICIENT_STOCK",
      message: "not enough stock",
      // ErrorInfo metadata is string to string: structures survive as JSON, scalars arrive as strings.
      details: {
        reservation_id: "r-1",
        quantity: "3",
        shortages: [{ sku: "A", requested: 2, available: 1 }],
      },
    });
  });

  it("when a validation error crosses the wire, then its violations travel as google.rpc.BadRequest and come back as details", () => {
    const original = validationError([
      { field: "lines[0].sku", description: "must not be empty" },
      { field: "lines[1].quantity", description: "must be at least 1" },
    ]);

    const status = toGrpcStatus(original);
    const { details } = standardDetails(status.metadata);
    const rebuilt = fromGrpcError(serviceError(status));

    expect(details).toContainEqual(
      expect.objectContaining({
        $typeName: "google.rpc.BadRequest",
        fieldViolations: [
          expect.objectContaining({ field: "lines[0].sku", description: "must not be empty" }),
          expect.objectContaining({ field: "lines[1].quantity", description: "must be at least 1" }),
        ],
      }),
    );
    expect(rebuilt).toMatchObject({
      code: Code.INVALID_ARGUMENT,
      reason: "VALIDATION_FAILED",
      details: {
        field: "lines[0].sku",
        violations: [
          { field: "lines[0].sku", description: "must not be empty" },
          { field: "lines[1].quantity", description: "must be at least 1" },
        ],
      },
    });
  });

  it("when an AppError says when to retry, then google.rpc.RetryInfo carries the delay and the caller gets retryAfterMs back", () => {
    const original = new AppError({
      code: Code.RESOURCE_EXHAUSTED,
      reason: "RATE_LIMITED",
      message: "slow down",
      retryAfterMs: 1500,
    });

    const status = toGrpcStatus(original);
    const { details } = standardDetails(status.metadata);
    const rebuilt = fromGrpcError(serviceError(status));

    expect(details).toContainEqual(
      expect.objectContaining({
        $typeName: "google.rpc.RetryInfo",
        retryDelay: expect.objectContaining({ seconds: 1n, nanos: 500_000_000 }),
      }),
    );
    expect(rebuilt).toMatchObject({ reason: "RATE_LIMITED", retryAfterMs: 1500 });
  });

  it("when an unknown error is mapped, then the status is INTERNAL 'internal error' and the cause is only logged", () => {
    const kit = testKit();

    const status = toGrpcStatus(new TypeError("cannot read secret_token of undefined"), kit.log);
    const { details } = standardDetails(status.metadata);

    expect(status).toMatchObject({ code: grpc.status.INTERNAL, details: "internal error" });
    expect(details).toEqual([
      expect.objectContaining({ reason: "INTERNAL", domain: "orderly.dev", metadata: {} }),
    ]);
    expect(JSON.stringify(details)).not.toContain("secret_token");
    expect(kit.lines).toHaveLength(1);
    expect(kit.lines[0]).toMatchObject({
      level: "error",
      err: { type: "TypeError", message: "cannot read secret_token of undefined", stack: expect.any(String) },
    });
  });

  it("when a status carries no details (a transport failure), then the reason names what happened", () => {
    const noTrailers = new grpc.Metadata();

    const down = fromGrpcError(
      serviceError({
        code: grpc.status.UNAVAILABLE,
        details: "No connection established",
        metadata: noTrailers,
      }),
    );
    const late = fromGrpcError(
      serviceError({
        code: grpc.status.DEADLINE_EXCEEDED,
        details: "Deadline exceeded",
        metadata: noTrailers,
      }),
    );

    expect(down).toMatchObject({
      code: Code.UNAVAILABLE,
      reason: "PEER_UNAVAILABLE",
      message: "No connection established",
    });
    expect(late).toMatchObject({ code: Code.DEADLINE_EXCEEDED, reason: "DEADLINE_EXCEEDED" });
  });

  it("when the details trailer is not a google.rpc.Status, then code and message still come through", () => {
    const metadata = new grpc.Metadata();
    metadata.set(STATUS_DETAILS_KEY, Buffer.from([0x0a, 0x05, 0x41]));

    const error = fromGrpcError(serviceError({ code: grpc.status.NOT_FOUND, details: "no item", metadata }));

    expect(error).toMatchObject({
      code: Code.NOT_FOUND,
      reason: "NOT_FOUND",
      message: "no item",
      details: {},
    });
  });

  it("when a foreign server sends a Status with ErrorInfo among unknown details, then the reason still comes through", () => {
    const unknownDetail = {
      $typeName: "google.protobuf.Any",
      typeUrl: "type.googleapis.com/x.Y",
      value: new Uint8Array([1]),
    } as const;
    const bytes = toBinary(
      StatusSchema,
      create(StatusSchema, {
        code: grpc.status.NOT_FOUND,
        message: "no such thing",
        details: [
          unknownDetail,
          anyPack(
            ErrorInfoSchema,
            create(ErrorInfoSchema, { reason: "THING_NOT_FOUND", domain: "example.com" }),
          ),
        ],
      }),
    );
    const metadata = new grpc.Metadata();
    metadata.set(STATUS_DETAILS_KEY, Buffer.from(bytes));

    const error = fromGrpcError(
      serviceError({ code: grpc.status.NOT_FOUND, details: "no such thing", metadata }),
    );

    expect(error).toMatchObject({ code: Code.NOT_FOUND, reason: "THING_NOT_FOUND" });
  });
});
