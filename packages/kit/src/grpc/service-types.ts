import type { DescMethod, DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import type { CallContext } from "./call-context.ts";

/** A unary handler: the decoded request in, a message (or its init shape) out. */
export type UnaryHandler<M extends DescMethod> = (
  request: MessageShape<M["input"]>,
  ctx: CallContext,
) => Promise<MessageInitShape<M["output"]>>;

/** A server-streaming handler: yields responses; stop when `ctx.signal` aborts. */
export type ServerStreamingHandler<M extends DescMethod> = (
  request: MessageShape<M["input"]>,
  ctx: CallContext,
) => AsyncIterable<MessageInitShape<M["output"]>>;

/**
 * `Unary` or `ServerStreaming` by the method's kind. Client- and bidi-streaming methods are not
 * supported (no Orderly API uses them): `never`, for servers and clients alike.
 */
type ByMethodKind<M extends DescMethod, Unary, ServerStreaming> = M["methodKind"] extends "unary"
  ? Unary
  : M["methodKind"] extends "server_streaming"
    ? ServerStreaming
    : never;

export type MethodHandler<M extends DescMethod> = ByMethodKind<M, UnaryHandler<M>, ServerStreamingHandler<M>>;

/** Handlers for every method of a protobuf-es service descriptor, keyed by `method.localName`. */
export type ServiceImplementation<S extends DescService> = {
  [K in keyof S["method"]]: MethodHandler<S["method"][K]>;
};

export interface CallOptions {
  /** Relative deadline; default the client's `defaultDeadlineMs` (unary calls). */
  deadlineMs?: number;
  /** Absolute deadline; wins over `deadlineMs`. */
  deadline?: Date;
  /** Sent as metadata "idempotency-key"; makes a call retryable whatever the method says. */
  idempotencyKey?: string;
  /** Extra request metadata; keys ending in "-bin" are sent as bytes of the string. */
  metadata?: Record<string, string>;
  /** Cancels the call (the promise rejects with CANCELLED). */
  signal?: AbortSignal;
  /**
   * Send to the peer's canary version (true) or never flag it (false); default: flagged when the
   * request or call being served carries `x-orderly-canary: 1`.
   */
  canary?: boolean;
}

export type UnaryClientMethod<M extends DescMethod> = (
  request: MessageInitShape<M["input"]>,
  options?: CallOptions,
) => Promise<MessageShape<M["output"]>>;

export type ServerStreamingClientMethod<M extends DescMethod> = (
  request: MessageInitShape<M["input"]>,
  options?: CallOptions,
) => AsyncIterable<MessageShape<M["output"]>>;

export type ClientMethod<M extends DescMethod> = ByMethodKind<
  M,
  UnaryClientMethod<M>,
  ServerStreamingClientMethod<M>
>;

/** A typed client: one method per RPC (keyed by `method.localName`), plus `close()`. */
export type Client<S extends DescService> = {
  [K in keyof S["method"]]: ClientMethod<S["method"][K]>;
} & { close(): void };
