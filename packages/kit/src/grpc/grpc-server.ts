import type { DescMethod, DescService, Message } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import { Health as HealthServiceDesc } from "@orderly/contracts/grpc-health";
import type { CallLimiter } from "../auth/index.ts";
import type { AdmissionPolicy, GrpcTls } from "../config/index.ts";
import type { Health } from "../health/index.ts";
import { AdmissionLimit, admissionLimitFor } from "../load/admission-limit.ts";
import { exportAdmissionLimit } from "../load/admission-metrics.ts";
import { overloadedError, requestsShedCounter } from "../load/shedding.ts";
import type { Logger } from "../log/index.ts";
import type { Metrics } from "../metrics/index.ts";
import { admittedUnary } from "./admitted-call.ts";
import type { CallContext } from "./call-context.ts";
import { type CallGuard, guarded } from "./call-guard.ts";
import { rateLimitedStreaming, rateLimitedUnary } from "./call-rate-limit.ts";
import { type ClientCertificatePolicy, serverCredentials } from "./grpc-tls.ts";
import { healthImplementation } from "./health.service.ts";
import { encoder, lenientDecoder, passThrough } from "./method-codec.ts";
import { type GrpcLoadSheddingOptions, OverloadGuard } from "./overload-guard.ts";
import { addReflection } from "./reflection.ts";
import { richStatusFiles } from "./rich-status.ts";
import { RpcRecorder } from "./rpc-recorder.ts";
import {
  type CallTracker,
  type ServedMethod,
  serverStreamingHandler,
  unaryHandler,
} from "./server-handlers.ts";
import { ServerSpanFactory } from "./server-span.ts";
import type { ServiceImplementation } from "./service-types.ts";

export interface GrpcServerOptions {
  log: Logger;
  metrics: Metrics;
  health: Health;
  /** This service's name, for logs. */
  service: string;
  /** Serve grpc.reflection v1 and v1alpha. Default true. */
  reflection?: boolean;
  /** Largest request accepted (grpc-js answers RESOURCE_EXHAUSTED above it). Default 4 MiB. */
  maxReceiveMessageBytes?: number;
  /**
   * Spends one unit of the caller's rate-limit budget per call of the service's own methods
   * (never health or reflection); over budget is RESOURCE_EXHAUSTED with RetryInfo.
   */
  limiter?: CallLimiter;
  /** Extra grpc-js server options (keepalive, max connection age…). */
  serverOptions?: grpc.ServerOptions;
  /** Checks every call of the services' own methods passes first (bearer scope, caller allowlist). */
  guards?: readonly CallGuard[];
  /** Shed calls early under pressure (UNAVAILABLE, reason OVERLOADED, RetryInfo); false turns it off. */
  loadShedding?: GrpcLoadSheddingOptions | false;
  /**
   * The admission limit on unary calls of the service's own methods (the service config's
   * `load.admission.grpc`, or a limit built elsewhere, as tests do): past it a call is refused
   * UNAVAILABLE OVERLOADED with RetryInfo before any work. Default off.
   */
  admission?: AdmissionPolicy | AdmissionLimit;
  /** GRPC_TLS_*: listen with TLS; callerGuard identifies callers by their client certificates. */
  tls?: GrpcTls | undefined;
  /** Default "required"; the order service, which also serves customers, uses "optional". */
  clientCertificate?: ClientCertificatePolicy;
}

const DEFAULT_MAX_RECEIVE_BYTES = 4 * 1024 * 1024;
/** After the drain timeout, how long the answers to cut calls get to reach their callers. */
const CUT_FLUSH_MS = 250;

type AnyHandler = (request: Message, ctx: CallContext) => unknown;

/**
 * A grpc-js server for protobuf-es service descriptors, with the platform's contracts built in:
 * error mapping, RED metrics, one log line per call, deadline propagation to outgoing calls,
 * grpc.health.v1 driven by Health, reflection, and graceful drain.
 */
export class GrpcServer {
  readonly #options: GrpcServerOptions;
  readonly #server: grpc.Server;
  readonly #services: DescService[] = [];
  readonly #tracker: CallTracker & { draining: boolean } = {
    inFlight: 0,
    draining: false,
    streams: new Set(),
    unary: new Set(),
  };
  readonly #guard: OverloadGuard | undefined;
  readonly #admission: AdmissionLimit | undefined;
  #listening = false;
  #drained: Promise<void> | undefined;

  constructor(options: GrpcServerOptions) {
    this.#options = options;
    this.#guard = options.loadShedding === false ? undefined : new OverloadGuard(options.loadShedding);
    const admission = options.admission ?? { mode: "off" };
    this.#admission = admission instanceof AdmissionLimit ? admission : admissionLimitFor(admission);
    if (this.#admission) exportAdmissionLimit(options.metrics, "grpc", this.#admission);
    this.#server = new grpc.Server({
      "grpc.max_receive_message_length": options.maxReceiveMessageBytes ?? DEFAULT_MAX_RECEIVE_BYTES,
      ...options.serverOptions,
    });
    bypassServerInstrumentation(this.#server);
  }

  /** Calls being handled right now (unary and streaming). */
  get inFlight(): number {
    return this.#tracker.inFlight;
  }

  /** Serves `impl` for `service`; call before `listen`. */
  add<S extends DescService>(service: S, impl: ServiceImplementation<S>): this {
    if (this.#listening) throw new Error(`add(${service.typeName}) after listen: add every service first`);
    this.#register(service, impl as unknown as Record<string, AnyHandler>, true);
    this.#services.push(service);
    return this;
  }

  /** Binds and starts serving; returns the bound port (port 0 picks a free one). */
  async listen(host: string, port: number): Promise<number> {
    if (this.#listening) throw new Error("gRPC server already listening");
    this.#listening = true;
    const known = new Set(["", ...this.#services.map((s) => s.typeName)]);
    this.#register(
      HealthServiceDesc,
      healthImplementation(this.#options.health, known) as unknown as Record<string, AnyHandler>,
      false,
    );
    if (this.#options.reflection !== false)
      addReflection(this.#server, [...this.#services, HealthServiceDesc], richStatusFiles);

    const address = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    const bound = await new Promise<number>((resolve, reject) => {
      this.#server.bindAsync(address, this.#credentials(), (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      );
    });
    this.#guard?.start();
    this.#options.log.info(
      { grpcPort: bound, tls: Boolean(this.#options.tls), services: this.#services.map((s) => s.typeName) },
      `${this.#options.service} gRPC listening`,
    );
    return bound;
  }

  #credentials(): grpc.ServerCredentials {
    const { tls, clientCertificate } = this.#options;
    return tls
      ? serverCredentials(tls, clientCertificate ?? "required")
      : grpc.ServerCredentials.createInsecure();
  }

  /**
   * Graceful stop: refuse new calls, end server streams (UNAVAILABLE, reason SERVER_DRAINING, so
   * clients reconnect elsewhere), let in-flight unary calls finish, and force-close whatever is left
   * after `timeoutMs`. Safe to call twice.
   */
  drain(timeoutMs: number): Promise<void> {
    this.#drained ??= this.#drain(timeoutMs);
    return this.#drained;
  }

  async #drain(timeoutMs: number): Promise<void> {
    this.#tracker.draining = true;
    this.#guard?.stop();
    for (const ctx of [...this.#tracker.streams]) ctx.abortForDrain();
    const server = this.#server;
    await new Promise<void>((resolve) => {
      let force: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        this.#options.log.warn({ inFlight: this.inFlight }, "gRPC drain timed out; closing remaining calls");
        // Answer the unary calls still running (UNAVAILABLE, so callers retry what may be retried),
        // give those answers a moment to leave, then reset whatever is left.
        for (const cut of [...this.#tracker.unary]) cut();
        force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, CUT_FLUSH_MS);
      }, timeoutMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        clearTimeout(force);
        resolve();
      });
    });
  }

  /** Health and reflection never get one: a probe must reach an overloaded instance. */
  #shedder(): ServedMethod["shed"] {
    const guard = this.#guard;
    if (!guard) return undefined;
    const shed = requestsShedCounter(this.#options.metrics);
    return () => {
      const cause = guard.check();
      if (cause === undefined) return undefined;
      shed.labels("grpc", cause).inc();
      return guard.rejection(cause);
    };
  }

  /** Outside the guards: a refused call costs no token check. Health is never `observed`. */
  #admitted(handler: Parameters<typeof admittedUnary>[0]): Parameters<typeof admittedUnary>[0] {
    const admission = this.#admission;
    if (!admission) return handler;
    const shed = requestsShedCounter(this.#options.metrics);
    const retryAfterMs = this.#guard?.retryAfterMs ?? 1000;
    return admittedUnary(handler, admission, () => {
      shed.labels("grpc", "in_flight").inc();
      return overloadedError("in_flight", retryAfterMs);
    });
  }

  #register(service: DescService, impl: Record<string, AnyHandler>, observed: boolean): void {
    const { log, metrics } = this.#options;
    const definition: Record<string, grpc.MethodDefinition<unknown, Buffer>> = {};
    const handlers: grpc.UntypedServiceImplementation = {};
    for (const method of service.methods) {
      const fn = impl[method.localName];
      if (typeof fn !== "function")
        throw new Error(`${service.typeName}: no handler for ${method.localName}`);
      const served = servedMethod(method, log, observed ? metrics : undefined);
      if (observed) served.shed = this.#shedder();
      // The limiter sits inside the guards: it counts a call once its caller is known (the bearer
      // guard sets ctx.principal). Health (not observed) is neither guarded nor limited.
      const limiter = observed ? this.#options.limiter : undefined;
      const bound = fn.bind(impl);
      const limited = !limiter
        ? bound
        : method.methodKind === "server_streaming"
          ? rateLimitedStreaming(bound as never, limiter)
          : rateLimitedUnary(bound, limiter);
      const checked = guarded(method, limited as never, observed ? (this.#options.guards ?? []) : []);
      const handler = observed && method.methodKind === "unary" ? this.#admitted(checked as never) : checked;
      if (method.methodKind === "unary") {
        handlers[method.name] = unaryHandler(served, handler as never, this.#tracker);
      } else if (method.methodKind === "server_streaming") {
        handlers[method.name] = serverStreamingHandler(served, handler as never, this.#tracker);
      } else {
        throw new Error(`${served.path}: ${method.methodKind} methods are not supported`);
      }
      definition[method.name] = {
        path: served.path,
        requestStream: false,
        responseStream: method.methodKind === "server_streaming",
        requestDeserialize: lenientDecoder(method.input),
        responseSerialize: passThrough,
        requestSerialize: passThrough as never,
        responseDeserialize: passThrough,
        originalName: method.localName,
      };
    }
    this.#server.addService(definition, handlers);
  }
}

function servedMethod(method: DescMethod, log: Logger, metrics: Metrics | undefined): ServedMethod {
  const path = `/${method.parent.typeName}/${method.name}`;
  const methodLog = log.child({
    rpc_system: "grpc",
    rpc_service: method.parent.typeName,
    rpc_method: method.name,
  });
  return {
    path,
    log: methodLog,
    encode: encoder(method.output) as (value: unknown) => Buffer,
    recorder: metrics
      ? new RpcRecorder(metrics.rpcServerDuration, method.parent.typeName, method.name, methodLog)
      : undefined,
    // Observed methods are the service's own API; health and reflection are never traced.
    spans: metrics ? new ServerSpanFactory(method.parent.typeName, method.name) : undefined,
  };
}

/**
 * @opentelemetry/instrumentation-grpc wraps `Server.prototype.register` so that every call of
 * every handler gets its span through two context switches, a per-call patch of the call object
 * and a parse of the method path. The kit's handlers make their own server span (ServerSpanFactory:
 * same name and attributes, built once per method), so this server registers through the original
 * function, which shimmer keeps as `__original`. Plain grpc-js servers elsewhere in the process are
 * still traced by the instrumentation, and so are all clients.
 */
function bypassServerInstrumentation(server: grpc.Server): void {
  const register = grpc.Server.prototype.register as { __original?: unknown };
  if (typeof register.__original === "function") {
    Object.defineProperty(server, "register", { value: register.__original, configurable: true });
  }
}
