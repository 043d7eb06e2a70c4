import type { DescMethod, DescService } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import type { Logger } from "../log/index.ts";
import type { Metrics } from "../metrics/index.ts";
import { CanaryRouter } from "./canary-router.ts";
import { CircuitBreaker } from "./circuit-breaker.ts";
import { type ClientMethodPlan, type ClientRuntime, callServerStream, callUnary } from "./client-calls.ts";
import {
  canaryCallsCounter,
  canaryErrorsCounter,
  circuitStateGauge,
  clientRetriesCounter,
} from "./client-metrics.ts";
import { KEEPALIVE_CHANNEL_OPTIONS } from "./keepalive.ts";
import { encoder, strictDecoder } from "./method-codec.ts";
import { isIdempotent, type RetryOptions, retryPolicy } from "./retry-policy.ts";
import { RpcRecorder } from "./rpc-recorder.ts";
import type { CallOptions, Client } from "./service-types.ts";
import { grpcClientIsInstrumented } from "./trace-context.ts";

export interface BreakerOptions {
  /** Consecutive transient failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Open time before one probe may pass. Default 5000 ms. */
  openMs?: number;
}

export interface GrpcClientOptions {
  /** Any grpc-js target: "127.0.0.1:50052", "ipv4:a:1,b:2", "consul://host:8500/inventory"… */
  target: string;
  /** The peer's name, for metrics, logs and the breaker ("inventory"). */
  peer: string;
  log: Logger;
  metrics: Metrics;
  /** Deadline of a unary call without its own. Default 5000 ms; an incoming call's deadline caps it. */
  defaultDeadlineMs?: number;
  /** Retries for idempotent methods and calls with an idempotency key; false turns them off. */
  retry?: RetryOptions | false;
  /** Per-peer circuit breaker; false turns it off. */
  breaker?: BreakerOptions | false;
  /** grpc-js channel options, e.g. a round-robin service config. */
  channelOptions?: grpc.ChannelOptions;
  /** Default insecure (plaintext inside the cluster network). */
  credentials?: grpc.ChannelCredentials;
  /**
   * Canary routing: `target` then lists the stable instances and this `target` the canary ones
   * (see versionTargets); `share` (0-1) of calls, and every flagged call, go to the canary while
   * it is up.
   */
  canary?: { target: string; share: number; random?: () => number };
}

/**
 * A typed client for a protobuf-es service descriptor: deadlines (propagated from the call being
 * served), retries with backoff for idempotent calls, a circuit breaker, errors rebuilt as AppError,
 * RED metrics and one log line per call. One channel per client: build it once, close it at stop.
 */
export function createGrpcClient<S extends DescService>(service: S, options: GrpcClientOptions): Client<S> {
  const channel = new grpc.Client(options.target, options.credentials ?? grpc.credentials.createInsecure(), {
    ...KEEPALIVE_CHANNEL_OPTIONS,
    ...options.channelOptions,
  });
  const stateGauge =
    options.breaker === false ? undefined : circuitStateGauge(options.metrics).labels(options.peer);
  stateGauge?.set(0);
  const canaryCalls = options.canary ? canaryCallsCounter(options.metrics).labels(options.peer) : undefined;
  const canaryErrors = options.canary ? canaryErrorsCounter(options.metrics).labels(options.peer) : undefined;
  const canary = options.canary
    ? new CanaryRouter({
        stable: channel,
        canary: new grpc.Client(
          options.canary.target,
          options.credentials ?? grpc.credentials.createInsecure(),
          { ...KEEPALIVE_CHANNEL_OPTIONS, ...options.channelOptions },
        ),
        share: options.canary.share,
        ...(options.canary.random ? { random: options.canary.random } : {}),
        onCanary: () => canaryCalls?.inc(),
        onCanaryError: () => canaryErrors?.inc(),
      })
    : undefined;
  const rt: ClientRuntime = {
    channel,
    canary,
    peer: options.peer,
    defaultDeadlineMs: options.defaultDeadlineMs ?? 5000,
    retry: retryPolicy(options.retry),
    breaker:
      options.breaker === false
        ? undefined
        : new CircuitBreaker({ ...options.breaker, onStateChange: (state) => stateGauge?.set(state) }),
    injectTrace: !grpcClientIsInstrumented(),
  };
  const retries = clientRetriesCounter(options.metrics);
  const log = options.log.child({ rpc_system: "grpc", peer: options.peer });

  const client: Record<string, unknown> = { close: () => (canary ? canary.close() : channel.close()) };
  for (const method of service.methods) {
    const plan = methodPlan(method, log, options.metrics, retries);
    if (method.methodKind === "unary") {
      client[method.localName] = (request: unknown, o?: CallOptions) => callUnary(rt, plan, request, o);
    } else if (method.methodKind === "server_streaming") {
      client[method.localName] = (request: unknown, o?: CallOptions) =>
        callServerStream(rt, plan, request, o);
    }
    // Client and bidi streaming are not supported; their keys stay absent (typed `never`).
  }
  return client as Client<S>;
}

function methodPlan(
  method: DescMethod,
  log: Logger,
  metrics: Metrics,
  retries: ReturnType<typeof clientRetriesCounter>,
): ClientMethodPlan {
  const service = method.parent.typeName;
  const methodLog = log.child({ rpc_service: service, rpc_method: method.name });
  return {
    path: `/${service}/${method.name}`,
    idempotent: isIdempotent(method),
    encode: encoder(method.input) as (value: unknown) => Buffer,
    decode: strictDecoder(method.output),
    recorder: new RpcRecorder(metrics.rpcClientDuration, service, method.name, methodLog),
    retries: retries.labels(service, method.name),
  };
}
