import { setTimeout as sleep } from "node:timers/promises";
import {
  create,
  type DescMessage,
  type DescMethodServerStreaming,
  type DescMethodUnary,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { fromServiceError } from "./error-decoding.ts";
import { OrderlyError } from "./orderly-error.ts";

/** Per-call options every method accepts. */
export interface CallOptions {
  /** Time budget for the call, retries included. Default: the client's (10 s). */
  deadlineMs?: number;
  signal?: AbortSignal;
}

export interface ChannelSettings {
  credentials: grpc.ChannelCredentials;
  token: string | undefined;
  defaultDeadlineMs: number;
  /** Attempts for idempotent methods answering UNAVAILABLE (1 = no retry). */
  maxAttempts: number;
}

/** Unary options plus the key that makes a write safe to repeat. */
export interface UnaryOptions extends CallOptions {
  idempotencyKey?: string;
  /** The request carries its own key (AdjustStock's adjustment_id), so repeating it is safe. */
  safeToRetry?: boolean;
}

const USER_AGENT = "orderly-client/0.1.0";

/**
 * One grpc-js channel to one address, calling methods straight from protobuf-es descriptors
 * (`/<service>/<Method>`, toBinary/fromBinary). Retries only what the proto marks
 * NO_SIDE_EFFECTS or IDEMPOTENT, only on UNAVAILABLE, with backoff, within the deadline.
 */
export class RpcChannel {
  readonly #client: grpc.Client;
  readonly #settings: ChannelSettings;

  constructor(address: string, settings: ChannelSettings) {
    this.#settings = settings;
    this.#client = new grpc.Client(address, settings.credentials, {
      "grpc.primary_user_agent": USER_AGENT,
    });
  }

  async unary<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageInitShape<I>,
    options: UnaryOptions = {},
  ): Promise<MessageShape<O>> {
    const bytes = encode(method.input, request);
    const deadline = Date.now() + (options.deadlineMs ?? this.#settings.defaultDeadlineMs);
    const attempts = isIdempotent(method) || options.safeToRetry ? this.#settings.maxAttempts : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(method, bytes, this.#metadata(options.idempotencyKey), deadline, options);
      } catch (thrown) {
        const error = fromServiceError(thrown);
        const waitMs = backoffMs(attempt);
        const retry =
          error.code === "UNAVAILABLE" &&
          attempt < attempts &&
          Date.now() + waitMs < deadline &&
          !options.signal?.aborted;
        if (!retry) throw error;
        await sleep(waitMs, undefined, { signal: options.signal }).catch(() => undefined);
      }
    }
  }

  /** A server stream as an async iterable; leaving the loop early cancels the call. */
  async *serverStream<I extends DescMessage, O extends DescMessage>(
    method: DescMethodServerStreaming<I, O>,
    request: MessageInitShape<I>,
    options: CallOptions = {},
  ): AsyncGenerator<MessageShape<O>> {
    const path = `/${method.parent.typeName}/${method.name}`;
    const callOptions: grpc.CallOptions = {};
    if (options.deadlineMs !== undefined) callOptions.deadline = Date.now() + options.deadlineMs;
    const call = this.#client.makeServerStreamRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => fromBinary(method.output, b),
      encode(method.input, request),
      this.#metadata(undefined),
      callOptions,
    );
    const onAbort = () => call.cancel();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for await (const message of call) yield message as MessageShape<O>;
    } catch (thrown) {
      throw fromServiceError(thrown);
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      call.cancel();
    }
  }

  close(): void {
    this.#client.close();
  }

  #attempt<O extends DescMessage>(
    method: DescMethodUnary<DescMessage, O>,
    bytes: Buffer,
    metadata: grpc.Metadata,
    deadline: number,
    options: CallOptions,
  ): Promise<MessageShape<O>> {
    const path = `/${method.parent.typeName}/${method.name}`;
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(cancelled());
        return;
      }
      const call = this.#client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => fromBinary(method.output, b),
        bytes,
        metadata,
        { deadline },
        (error, response) => {
          options.signal?.removeEventListener("abort", onAbort);
          if (error) reject(error);
          else resolve(response as MessageShape<O>);
        },
      );
      const onAbort = () => call.cancel();
      options.signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #metadata(idempotencyKey: string | undefined): grpc.Metadata {
    const metadata = new grpc.Metadata();
    if (this.#settings.token) metadata.set("authorization", `Bearer ${this.#settings.token}`);
    if (idempotencyKey !== undefined) metadata.set("idempotency-key", idempotencyKey);
    return metadata;
  }
}

function encode<I extends DescMessage>(schema: I, value: MessageInitShape<I>): Buffer {
  const bytes = toBinary(schema, create(schema, value));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function isIdempotent(method: { idempotency: MethodOptions_IdempotencyLevel }): boolean {
  return (
    method.idempotency === MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS ||
    method.idempotency === MethodOptions_IdempotencyLevel.IDEMPOTENT
  );
}

/** 100 ms, 200 ms, 400 ms… capped at 2 s, with full jitter so clients don't retry in step. */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(2000, 100 * 2 ** (attempt - 1));
}

function cancelled(): OrderlyError {
  return new OrderlyError({ code: "CANCELLED", reason: "CANCELLED", message: "call cancelled" });
}
