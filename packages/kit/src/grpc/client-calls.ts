import { setTimeout as sleep } from "node:timers/promises";
import type { Message } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { AppError, Code, isTransient } from "../errors/index.ts";
import { activeIncomingCall, IDEMPOTENCY_KEY_HEADER } from "./call-context.ts";
import { CANARY_HEADER, isCanaryFlagged } from "./canary-context.ts";
import type { CanaryRouter } from "./canary-router.ts";
import type { AttemptOutcome, CircuitBreaker } from "./circuit-breaker.ts";
import { outgoingDeadline } from "./deadline.ts";
import { fromGrpcError, TransportReason } from "./error-mapping.ts";
import { passThrough } from "./method-codec.ts";
import { backoffMs, isRetryable, type RetryPolicy, wasNotProcessed } from "./retry-policy.ts";
import type { RpcRecorder } from "./rpc-recorder.ts";
import type { CallOptions } from "./service-types.ts";
import { injectTraceContext } from "./trace-context.ts";

/** What every method of one client shares. */
export interface ClientRuntime {
  channel: grpc.Client;
  /** Present when a canary version is configured: picks stable or canary per attempt. */
  canary: CanaryRouter | undefined;
  peer: string;
  defaultDeadlineMs: number;
  retry: RetryPolicy | undefined;
  breaker: CircuitBreaker | undefined;
  /** False when instrumentation-grpc already propagates trace context. */
  injectTrace: boolean;
}

/** One method of one client, prepared once. */
export interface ClientMethodPlan {
  path: string;
  idempotent: boolean;
  encode(value: unknown): Buffer;
  decode(bytes: Buffer): Message;
  recorder: RpcRecorder;
  retries: { inc(): void };
}

/** The deadline of a call made from here: its own, capped by the call being served (deadline.ts). */
function deadlineFromHere(
  options: CallOptions | undefined,
  fallbackMs: number | undefined,
): number | undefined {
  return outgoingDeadline(options, fallbackMs, activeIncomingCall()?.deadlineMs);
}

export async function callUnary(
  rt: ClientRuntime,
  plan: ClientMethodPlan,
  request: unknown,
  options: CallOptions | undefined,
): Promise<Message> {
  const startedAt = performance.now();
  const deadline = deadlineFromHere(options, rt.defaultDeadlineMs) as number;
  let error: AppError;
  try {
    const bytes = plan.encode(request);
    const flagged = isCanaryFlagged(options?.canary);
    const metadata = outgoingMetadata(rt, options, flagged);
    const repeatable = plan.idempotent || Boolean(options?.idempotencyKey);
    for (let attempt = 1; ; attempt++) {
      const permit = rt.breaker ? rt.breaker.tryAcquire() : "pass";
      if (permit === undefined) {
        error = circuitOpen(rt.peer);
        break;
      }
      const channel = rt.canary ? rt.canary.pick(flagged) : rt.channel;
      try {
        // grpc-js may add to the metadata it is given (trace headers): each attempt gets its own.
        const md = attempt === 1 ? metadata : metadata.clone();
        const response = await attemptUnary(channel, plan, bytes, md, deadline, options?.signal);
        rt.breaker?.record(permit, "success");
        plan.recorder.record(Code.OK, startedAt, "rpc completed");
        return response;
      } catch (thrown) {
        error = fromGrpcError(thrown);
        rt.breaker?.record(permit, outcomeOf(error));
        rt.canary?.failed(channel, error);
      }
      // A shed call did nothing on the server: any method may go again (to another instance).
      const retry = rt.retry && (repeatable || wasNotProcessed(error)) ? rt.retry : undefined;
      if (!retry || attempt >= retry.maxAttempts || !isRetryable(error)) break;
      const waitMs = backoffMs(retry, attempt);
      if (Date.now() + waitMs >= deadline) break;
      if (!(await backoff(waitMs, options?.signal))) {
        error = cancelled();
        break;
      }
      plan.retries.inc();
    }
  } catch (thrown) {
    error = fromGrpcError(thrown);
  }
  plan.recorder.record(error.code, startedAt, "rpc failed", error);
  throw error;
}

/** Server streaming: no retries (a half-read stream cannot be replayed blindly), no default deadline. */
export async function* callServerStream(
  rt: ClientRuntime,
  plan: ClientMethodPlan,
  request: unknown,
  options: CallOptions | undefined,
): AsyncGenerator<Message> {
  const startedAt = performance.now();
  const deadline = deadlineFromHere(options, undefined);
  const permit = rt.breaker ? rt.breaker.tryAcquire() : "pass";
  if (permit === undefined) {
    const error = circuitOpen(rt.peer);
    plan.recorder.record(error.code, startedAt, "rpc failed", error);
    throw error;
  }
  let call: grpc.ClientReadableStream<Message> | undefined;
  let error: AppError | undefined;
  let completed = false;
  const cancel = () => call?.cancel();
  try {
    const flagged = isCanaryFlagged(options?.canary);
    const channel = rt.canary ? rt.canary.pick(flagged) : rt.channel;
    call = channel.makeServerStreamRequest(
      plan.path,
      passThrough,
      plan.decode,
      plan.encode(request),
      outgoingMetadata(rt, options, flagged),
      deadline === undefined ? {} : { deadline },
    );
    // The iterator reports errors; this listener keeps one arriving after the consumer stopped
    // reading from becoming an unhandled "error" event.
    call.on("error", () => undefined);
    onAbort(options?.signal, cancel);
    for await (const message of call) yield message as Message;
    completed = true;
  } catch (thrown) {
    error = fromGrpcError(thrown);
    throw error;
  } finally {
    options?.signal?.removeEventListener("abort", cancel);
    // The consumer stopped early (break/return): end the call; that says nothing about the peer.
    if (!completed && !error) call?.cancel();
    rt.breaker?.record(permit, error ? outcomeOf(error) : completed ? "success" : "neutral");
    const code = error ? error.code : completed ? Code.OK : Code.CANCELLED;
    plan.recorder.record(code, startedAt, error ? "rpc failed" : "rpc completed", error);
  }
}

function attemptUnary(
  channel: grpc.Client,
  plan: ClientMethodPlan,
  bytes: Buffer,
  metadata: grpc.Metadata,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Message> {
  return new Promise((resolve, reject) => {
    const call = channel.makeUnaryRequest(
      plan.path,
      passThrough,
      plan.decode,
      bytes,
      metadata,
      { deadline },
      (error, value) => {
        signal?.removeEventListener("abort", cancel);
        if (error) reject(error);
        else resolve(value as Message);
      },
    );
    function cancel(): void {
      call.cancel();
    }
    onAbort(signal, cancel);
  });
}

// Cancellation is not inherited from the call being served (only its deadline is): a handler that
// wants it passes `signal: ctx.signal`. Inheriting it would turn a caller's hang-up into CANCELLED
// inside work meant to finish anyway (a saga step), which callers treat as a permanent failure.
function onAbort(signal: AbortSignal | undefined, cancel: () => void): void {
  if (!signal) return;
  if (signal.aborted) cancel();
  else signal.addEventListener("abort", cancel, { once: true });
}

/** Waits between attempts; false when cancelled meanwhile. */
async function backoff(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
    return true;
  } catch {
    return false;
  }
}

function outgoingMetadata(
  rt: ClientRuntime,
  options: CallOptions | undefined,
  canary: boolean,
): grpc.Metadata {
  const metadata = new grpc.Metadata();
  // Forwarded, so a flagged request reaches the canary of every peer down the chain.
  if (canary) metadata.set(CANARY_HEADER, "1");
  if (options?.idempotencyKey) metadata.set(IDEMPOTENCY_KEY_HEADER, options.idempotencyKey);
  if (options?.metadata) {
    for (const [key, value] of Object.entries(options.metadata)) {
      metadata.set(key, key.endsWith("-bin") ? Buffer.from(value) : value);
    }
  }
  if (rt.injectTrace) injectTraceContext(metadata);
  return metadata;
}

/** The breaker counts transient failures; an answer of any other kind means the peer is up. */
function outcomeOf(error: AppError): AttemptOutcome {
  if (error.code === Code.CANCELLED) return "neutral";
  return isTransient(error) ? "failure" : "success";
}

function circuitOpen(peer: string): AppError {
  return new AppError({
    code: Code.UNAVAILABLE,
    reason: TransportReason.CIRCUIT_OPEN,
    message: `circuit open for peer "${peer}": failing fast`,
    details: { peer },
  });
}

function cancelled(): AppError {
  return new AppError({ code: Code.CANCELLED, reason: "CANCELLED", message: "call cancelled" });
}
