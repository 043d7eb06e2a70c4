import { BinaryWriter } from "@bufbuild/protobuf/wire";
import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { fromServiceError } from "./error-decoding.ts";

/** A serialized google.rpc.Status with an ErrorInfo and a BadRequest, as a server using the standard model sends it. */
function richStatus(): Uint8Array {
  const any = (typeUrl: string, value: Uint8Array) =>
    new BinaryWriter().tag(1, 2).string(typeUrl).tag(2, 2).bytes(value).finish();
  const errorInfo = new BinaryWriter()
    .tag(1, 2)
    .string("SKU_NOT_FOUND")
    .tag(2, 2)
    .string("orderly.dev")
    .tag(3, 2)
    .bytes(new BinaryWriter().tag(1, 2).string("sku").tag(2, 2).string("NOPE").finish())
    .finish();
  const badRequest = new BinaryWriter()
    .tag(1, 2)
    .bytes(new BinaryWriter().tag(1, 2).string("lines[0].sku").tag(2, 2).string("unknown SKU").finish())
    .finish();
  return new BinaryWriter()
    .tag(1, 0)
    .int32(3)
    .tag(2, 2)
    .string("lines[0].sku: unknown SKU")
    .tag(3, 2)
    .bytes(any("type.googleapis.com/google.rpc.ErrorInfo", errorInfo))
    .tag(3, 2)
    .bytes(any("type.googleapis.com/google.rpc.BadRequest", badRequest))
    .finish();
}

function serviceError(code: number, details: string, metadata: grpc.Metadata): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata });
}

describe("fromServiceError", () => {
  it("when the trailers carry a google.rpc.Status, then reason, violations and metadata come from it", () => {
    const metadata = new grpc.Metadata();
    metadata.set("grpc-status-details-bin", Buffer.from(richStatus()));
    const error = fromServiceError(serviceError(3, "lines[0].sku: unknown SKU", metadata));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.reason).toBe("SKU_NOT_FOUND");
    expect(error.fieldViolations).toEqual([{ field: "lines[0].sku", description: "unknown SKU" }]);
    expect(error.details).toEqual({ sku: "NOPE" });
  });

  it("when the trailers carry orderly-error-*, then reason and violations come from them", () => {
    const metadata = new grpc.Metadata();
    metadata.set("orderly-error-reason", "VALIDATION_FAILED");
    metadata.set(
      "orderly-error-details-bin",
      Buffer.from(
        JSON.stringify({
          field: "customer_id",
          violations: [{ field: "customer_id", description: "is required" }],
        }),
      ),
    );
    const error = fromServiceError(serviceError(3, "customer_id: is required", metadata));
    expect([error.code, error.reason, error.message]).toEqual([
      "INVALID_ARGUMENT",
      "VALIDATION_FAILED",
      "customer_id: is required",
    ]);
    expect(error.fieldViolations).toEqual([{ field: "customer_id", description: "is required" }]);
  });

  it("when the rich status trailer is garbage, then code and message still come through", () => {
    const metadata = new grpc.Metadata();
    metadata.set("grpc-status-details-bin", Buffer.from([0xff, 0xff, 0xff]));
    const error = fromServiceError(serviceError(5, "gone", metadata));
    expect([error.code, error.reason, error.message]).toEqual(["NOT_FOUND", "NOT_FOUND", "gone"]);
  });
});
