import { once } from "node:events";
import type { Message } from "@bufbuild/protobuf";
import type * as grpc from "@grpc/grpc-js";
import { AppError, Code, toAppError } from "../errors/index.ts";
import type { Logger } from "../log/index.ts";
import { type CallContext, ServerCallContext } from "./call-context.ts";
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
  const { recorder, spans } = method;
  return (call, callback) => {
    const startedAt = performance.now();
    const ctx = new ServerCallContext(call, method.path, method.log);
    const traced = spans?.start(call.metadata);
    tracker.inFlight++;
    let answered = false;
    const cut = () => fail(drainCut());
    tracker.unary.add(cut);

    const finish = (code: Code, error?: AppError) => {
      tracker.inFlight--;
      tracker.unary.delete(cut);
      // The caller may have gone before we answered; record what it saw, not what we sent.
      const seen = ctx.cancelled ? ctx.cancelCode() : code;
      ctx.markDone();
      if (traced) endServerSpan(traced.span, seen, error?.message);
      recorder?.record(seen, startedAt, error ? "rpc failed" : "rpc served", error);
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
      result = runAsIncomingCall(ctx, traced?.context, () => impl(admitted, ctx));
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
  const { recorder, spans } = method;
  return (call) => {
    const startedAt = performance.now();
    const ctx = new ServerCallContext(call, method.path, method.log);
    const traced = spans?.start(call.metadata);
    tracker.inFlight++;
    tracker.streams.add(ctx);
    const signal = ctx.signal;
    let ended = false;
    let iterator: AsyncIterator<unknown> | undefined;

    const finish = (code: Code, error?: AppError) => {
      if (ended) return;
      ended = true;
      ctx.markDone();
      tracker.inFlight--;
      tracker.streams.delete(ctx);
      signal.removeEventListener("abort", onAbort);
      // Ended early (cancel, drain, a bad message): let the handler's finally blocks run.
      if (code !== Code.OK) iterator?.return?.().catch(() => undefined);
      if (traced) endServerSpan(traced.span, code, error?.message);
      recorder?.record(code, startedAt, error ? "rpc failed" : "rpc served", error);
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
      runAsIncomingCall(ctx, traced?.context, () => pump(admitted)).catch(fail);
    } catch (error) {
      fail(error);
    }
  };
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
