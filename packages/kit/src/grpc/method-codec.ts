import {
  create,
  type DescMessage,
  fromBinary,
  type Message,
  type MessageInitShape,
  toBinary,
} from "@bufbuild/protobuf";
import { AppError, Code, validationError } from "../errors/index.ts";
import { findInvalidUtf8, findUnusableRequestText } from "./request-text.ts";

/**
 * What a request deserializer returns for bytes that are not a valid message. grpc-js answers
 * INTERNAL when a deserializer throws; returning this marker instead lets the handler wrapper answer
 * INVALID_ARGUMENT, which is what the caller did wrong. (Truthy on purpose: grpc-js treats a falsy
 * request as "no message received".)
 */
export const MALFORMED_MESSAGE: { readonly malformed: true } = Object.freeze({ malformed: true });

/** A request that decoded (or half decoded) but is refused, with the error naming the field. */
export class RefusedRequest {
  readonly error: AppError;
  constructor(error: AppError) {
    this.error = error;
  }
}

export function isMalformed(value: unknown): value is typeof MALFORMED_MESSAGE | RefusedRequest {
  return value === MALFORMED_MESSAGE || value instanceof RefusedRequest;
}

export function malformedRequestError(request?: unknown): AppError {
  if (request instanceof RefusedRequest) return request.error;
  return new AppError({
    code: Code.INVALID_ARGUMENT,
    reason: "VALIDATION_FAILED",
    message: "malformed request message",
  });
}

/**
 * Bytes -> message, never throwing: malformed input yields MALFORMED_MESSAGE, and text that is no
 * text (invalid UTF-8, NUL, other controls) a RefusedRequest naming the field, as HTTP does.
 */
export function lenientDecoder(
  schema: DescMessage,
): (bytes: Buffer) => Message | typeof MALFORMED_MESSAGE | RefusedRequest {
  return (bytes) => {
    let message: Message;
    try {
      message = fromBinary(schema, bytes);
    } catch {
      const field = findInvalidUtf8(schema, bytes);
      return field
        ? new RefusedRequest(validationError({ field, description: "must be valid UTF-8" }))
        : MALFORMED_MESSAGE;
    }
    const bad = findUnusableRequestText(schema, message);
    return bad ? new RefusedRequest(validationError(bad)) : message;
  };
}

/** Bytes -> message; throws on malformed input (grpc-js then reports INTERNAL, as it should for a peer's reply). */
export function strictDecoder(schema: DescMessage): (bytes: Buffer) => Message {
  return (bytes) => fromBinary(schema, bytes);
}

/**
 * Message or init shape -> bytes. Encoding happens in our code, not inside grpc-js, so a bad value
 * surfaces as an ordinary error on our path (and a retried call is encoded once).
 */
export function encoder(schema: DescMessage): (value: MessageInitShape<DescMessage>) => Buffer {
  return (value) => {
    const bytes = toBinary(schema, create(schema, value));
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

/** grpc-js serializer for values we already encoded. */
export function passThrough(bytes: Buffer): Buffer {
  return bytes;
}
