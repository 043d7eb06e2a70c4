import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { AppError, Code } from "../errors/index.ts";
import { ERROR_DETAILS_KEY, ERROR_REASON_KEY, fromGrpcError, toGrpcStatus } from "./error-mapping.ts";
import { testKit } from "./test-harness.ts";

/** What a grpc-js client hands back for a status: an Error carrying code, details and trailers. */
function serviceError(status: {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}): grpc.ServiceError {
  return Object.assign(new Error(`${status.code} ${status.details}`), status);
}

describe("toGrpcStatus / fromGrpcError", () => {
  it("when an AppError crosses the wire, then the caller rebuilds the same code, reason, message and details", () => {
    const original = new AppError({
      code: Code.FAILED_PRECONDITION,
      reason: "RESERVATION_COMMITTED",
      message: "reservation r-1 was committed",
      details: { reservationId: "r-1", quantity: 3n },
    });

    const status = toGrpcStatus(original);
    const rebuilt = fromGrpcError(serviceError(status));

    expect(status.metadata.get(ERROR_REASON_KEY)).toEqual(["RESERVATION_COMMITTED"]);
    expect(rebuilt).toBeInstanceOf(AppError);
    expect(rebuilt).toMatchObject({
      code: Code.FAILED_PRECONDITION,
      reason: "RESERVATION_COMMITTED",
      message: "reservation r-1 was committed",
      // int64 details travel as strings: JSON has no bigint.
      details: { reservationId: "r-1", quantity: "3" },
    });
  });

  it("when an unknown error is mapped, then the status is INTERNAL 'internal error' and the cause is only logged", () => {
    const kit = testKit();

    const status = toGrpcStatus(new TypeError("cannot read secret_token of undefined"), kit.log);

    expect(status).toMatchObject({ code: grpc.status.INTERNAL, details: "internal error" });
    expect(status.metadata.get(ERROR_REASON_KEY)).toEqual(["INTERNAL"]);
    expect(status.metadata.get(ERROR_DETAILS_KEY)).toEqual([]);
    expect(kit.lines).toHaveLength(1);
    expect(kit.lines[0]).toMatchObject({
      level: "error",
      err: { type: "TypeError", message: "cannot read secret_token of undefined", stack: expect.any(String) },
    });
  });

  it("when a status carries no reason (a transport failure), then the reason names what happened", () => {
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

  it("when the details trailer is not JSON, then code, reason and message still come through", () => {
    const metadata = new grpc.Metadata();
    metadata.set(ERROR_REASON_KEY, "ITEM_NOT_FOUND");
    metadata.set(ERROR_DETAILS_KEY, Buffer.from("{not json"));

    const error = fromGrpcError(serviceError({ code: grpc.status.NOT_FOUND, details: "no item", metadata }));

    expect(error).toMatchObject({
      code: Code.NOT_FOUND,
      reason: "ITEM_NOT_FOUND",
      message: "no item",
      details: {},
    });
  });
});
