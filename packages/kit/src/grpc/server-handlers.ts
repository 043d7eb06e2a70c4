import { once } from "node:events";
import type { Message } from "@bufbuild/protobuf";
import type * as grpc from "@grpc/grpc-js";
import { AppError, Code, toAppError } from "../errors/index.ts";
import type { Logger } from "../log/index.ts";
import { type CallContext, type ServerCall, ServerCallContext } from "./call-context.ts";
import { appErrorToStatus, TransportReason } from "./error-mapping.ts";
import { runAsIncomingCall } from "./incoming-call-scope.ts";
import {
  isMalformed,
  type MALFORMED_MESSAGE,
  malformedRequestError,
  type RefusedRequest,
} from "./method-codec.ts";
import type { RpcRecorder } from "./rpc-recorder.ts";
import { endServerSpan, type ServerSpanFactory } from "./server-span.ts";

/** Everything a wrapper needs about one method, computed once when the service is added. */
export interface ServedMethod {
  path: string;
  log: Logger;
  encode(value: unknown): Buffer;
  /** Undefined for infrastructure services (health, reflection): no metrics, no per-call logs. */
  recorder: RpcRecorder | undefined;
  /** Undefined for infrastructure services too: probes are not traced. */
  spans: ServerSpanFactory | undefined;
  /** Load shedding: the error refusing a new call with `inFlight` others running, or undefined. Never set for health. */
  shed?: ((inFlight: number) => AppError | undefined) | undefined;
}

/** The server's view of calls in progress, for `inFlight` and drain. */
export interface CallTracker {
  inFlight: number;
  readonly draining: boolean;
  /** Server-streaming calls, which drain ends instead of waiting for. */
  readonly streams: Set<ServerCallContext>;
  /**
   * Unary calls in progress, each as the function that answers it UNAVAILABLE SERVER_DRAINING at
   * once: what drain does to calls still running at its timeout, before closing the connections.
   */
  readonly unary: Set<() => void>;
}

type Request = Message | typeof MALFORMED_MESSAGE | RefusedRequest;
type UnaryImpl = (request: Message, ctx: CallContext) => Promise<unknown>;
type StreamImpl = (request: Message, ctx: CallContext) => AsyncIterable<unknown>;

export function unaryHandler(
  method: ServedMethod,
  impl: UnaryImpl,
  tracker: CallTracker,
): grpc.handleUnaryCall<Request, Buffer> {
  return (call, callback) => {
    const served = new ServedCall(method, call, tracker);
    const ctx = served.ctx;
    let answered = false;
    const cut = () => fail(drainCut());
    tracker.unary.add(cut);

    const finish = (code: Code, error?: AppError) => {
      tracker.unary.delete(cut);
      // The caller may have gone before we answered; record what it saw, not what we sent.
      served.end(ctx.cancelled ? ctx.cancelCode() : code, error);
    };
    // One answer per call: a handler finishing after drain cut its call is not answered again.
    const fail = (error: unknown) => {
      if (answered) return;
      answered = true;
      const app = toAppError(error);
      callback(appErrorToStatus(app));
      finish(app.code, app);
    };
    const succeed = (value: unknown) => {
      if (answered) return;
      let bytes: Buffer;
      try {
        bytes = method.encode(value);
      } catch (error) {
        fail(error);
        return;
      }
      answered = true;
      callback(null, bytes);
      finish(Code.OK);
    };

    const admitted = admit(method, tracker, call.request);
    if (admitted instanceof AppError) {
      fail(admitted);
      return;
    }
    let result: Promise<unknown>;
    try {
      result = served.run(() => impl(admitted, ctx));
    } catch (error) {
      fail(error);
      return;
    }
    Promise.resolve(result).then(succeed, fail);
  };
}

export function serverStreamingHandler(
  method: ServedMethod,
  impl: StreamImpl,
  tracker: CallTracker,
): grpc.handleServerStreamingCall<Request, Buffer> {
  return (call) => {
    const served = new ServedCall(method, call, tracker);
    const ctx = served.ctx;
    tracker.streams.add(ctx);
    const signal = ctx.signal;
    let ended = false;
    let iterator: AsyncIterator<unknown> | undefined;

    const finish = (code: Code, error?: AppError) => {
      if (ended) return;
      ended = true;
      served.end(code, error);
      tracker.streams.delete(ctx);
      signal.removeEventListener("abort", onAbort);
      // Ended early (cancel, drain, a bad message): let the handler's finally blocks run.
      if (code !== Code.OK) iterator?.return?.().catch(() => undefined);
    };
    const fail = (error: unknown) => {
      if (ended) return;
      const app = toAppError(error);
      // ServerWritableStream turns an "error" event into the call's status and ends it.
      call.emit("error", appErrorToStatus(app));
      finish(app.code, app);
    };
    // Cancel and deadline: grpc-js already ended the call. Drain: end it now with UNAVAILABLE so the
    // client reconnects elsewhere, without waiting for a handler that may not watch its signal.
    function onAbort(): void {
      if (ctx.cancelled) finish(ctx.cancelCode());
      else fail(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) {
      onAbort();
      return;
    }

    const pump = async (request: Message) => {
      iterator = impl(request, ctx)[Symbol.asyncIterator]();
      for (;;) {
        const next = await iterator.next();
        if (ended) return;
        if (next.done) break;
        if (!call.write(method.encode(next.value))) {
          await once(call, "drain", { signal }).catch(() => undefined);
          if (ended) return;
        }
      }
      call.end();
      finish(Code.OK);
    };

    const admitted = admit(method, tracker, call.request);
    if (admitted instanceof AppError) {
      fail(admitted);
      return;
    }
    if (tracker.draining) {
      ctx.abortForDrain();
      return;
    }
    try {
      served.run(() => pump(admitted)).catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * What every served call has from its first moment to its answer: the clock, the context its
 * handler sees, its span, and its place in the in-flight count.
 */
class ServedCall {
  readonly ctx: ServerCallContext;
  readonly #startedAt = performance.now();
  readonly #method: ServedMethod;
  readonly #tracker: CallTracker;
  readonly #traced: ReturnType<ServerSpanFactory["start"]> | undefined;

  constructor(method: ServedMethod, call: ServerCall, tracker: CallTracker) {
    this.ctx = new ServerCallContext(call, method.path, method.log);
    this.#method = method;
    this.#tracker = tracker;
    this.#traced = method.spans?.start(call.metadata);
    tracker.inFlight++;
  }

  /** Runs the handler with this call as the current one, inside its span when it has one. */
  run<T>(work: () => T): T {
    return runAsIncomingCall(this.ctx, this.#traced?.context, work);
  }

  /** The call is answered (or gone) with `code`: its span, histogram and log line say so. */
  end(code: Code, error?: AppError): void {
    this.ctx.markDone();
    this.#tracker.inFlight--;
    if (this.#traced) endServerSpan(this.#traced.span, code, error?.message);
    this.#method.recorder?.record(code, this.#startedAt, error ? "rpc failed" : "rpc served", error);
  }
}

/**
 * The decoded request, or the error refusing the call before any work: shed first (so the caller
 * may repeat it anywhere, see isRetryable), then a request that did not decode or names a bad field.
 */
function admit(method: ServedMethod, tracker: CallTracker, request: Request): Message | AppError {
  const shed = method.shed?.(tracker.inFlight - 1);
  if (shed) return shed;
  if (isMalformed(request)) return malformedRequestError(request);
  return request;
}

/**
 * The answer to a unary call still running when the drain timeout passed. A clean UNAVAILABLE
 * instead of the connection reset that follows (which the caller sees as CANCELLED, and never
 * retries): the handler may have done part of its work, so callers retry only what is idempotent or
 * keyed, which is what UNAVAILABLE means to the kit's client.
 */
function drainCut(): AppError {
  return new AppError({
    code: Code.UNAVAILABLE,
    reason: TransportReason.SERVER_DRAINING,
    message: "server shut down before the call finished; retry on another instance",
  });
}
