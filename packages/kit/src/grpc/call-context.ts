import type * as grpc from "@grpc/grpc-js";
import type { Principal } from "../auth/principal.ts";
import { AppError, Code } from "../errors/index.ts";
import type { Logger } from "../log/index.ts";
import { TransportReason } from "./error-mapping.ts";
import { currentIncomingCall } from "./incoming-call-scope.ts";

/** What a handler knows about the call it serves, besides the request. */
export interface CallContext {
  /** Full method path, e.g. "/orderly.inventory.v1.InventoryService/Reserve". */
  readonly method: string;
  readonly metadata: grpc.Metadata;
  /** The caller's deadline; undefined when the caller set none. */
  readonly deadline: Date | undefined;
  /** Aborts when the caller cancels, the deadline passes, or (streams) the server drains. */
  readonly signal: AbortSignal;
  /** Metadata "idempotency-key", an opaque string chosen by the caller. */
  readonly idempotencyKey: string | undefined;
  /** Logger with rpc_system, rpc_service and rpc_method; lines inside the handler carry trace ids. */
  readonly log: Logger;
  /**
   * The verified bearer token's principal, on methods whose `(orderly.access.v1.access).scope` is
   * set (the admin principal when AUTH_DISABLED=true); undefined on methods that need no token.
   */
  readonly principal: Principal | undefined;
}

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

/** The part of a grpc-js server call the context reads (unary and server-streaming calls share it). */
export type ServerCall = Pick<
  grpc.ServerUnaryCall<unknown, unknown>,
  "metadata" | "cancelled" | "getDeadline" | "once" | "getAuthContext" | "getPeer"
>;

/**
 * One per served call. Everything not needed on the hot path (signal, deadline Date, idempotency
 * key) is computed on first access, so a handler that ignores them costs nothing for them.
 */
export class ServerCallContext implements CallContext {
  readonly method: string;
  readonly log: Logger;
  /** Set by the bearer check before the handler runs. */
  principal: Principal | undefined = undefined;
  readonly #call: ServerCall;
  #controller: AbortController | undefined;
  #done = false;

  constructor(call: ServerCall, method: string, log: Logger) {
    this.#call = call;
    this.method = method;
    this.log = log;
  }

  get metadata(): grpc.Metadata {
    return this.#call.metadata;
  }

  /**
   * The common name of the caller's client certificate (mTLS), the identity caller allowlists
   * check; undefined without one. grpc-js reports a peer certificate only for a TLS connection
   * whose certificate verified against the CA, so an unverified one identifies nobody.
   */
  get callerIdentity(): string | undefined {
    const cn = this.#call.getAuthContext().sslPeerCertificate?.subject?.CN;
    const name = Array.isArray(cn) ? cn[0] : cn;
    return name ? name : undefined;
  }

  /** The caller's address without its port ("127.0.0.1", "::1"): what a per-IP limit counts. */
  get peerAddress(): string {
    return peerHost(this.#call.getPeer());
  }

  /** Epoch milliseconds, or undefined without a deadline; what outgoing calls are capped by. */
  get deadlineMs(): number | undefined {
    const deadline = this.#call.getDeadline();
    const ms = deadline instanceof Date ? deadline.getTime() : deadline;
    return Number.isFinite(ms) ? ms : undefined;
  }

  get deadline(): Date | undefined {
    const ms = this.deadlineMs;
    return ms === undefined ? undefined : new Date(ms);
  }

  get idempotencyKey(): string | undefined {
    const value = this.#call.metadata.get(IDEMPOTENCY_KEY_HEADER)[0];
    return typeof value === "string" && value !== "" ? value : undefined;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.cancelled) controller.abort(this.#cancelReason());
      // grpc-js also emits "cancelled" when the stream closes after a normal answer: not a cancel.
      else this.#call.once("cancelled", () => this.#done || controller.abort(this.#cancelReason()));
    }
    return this.#controller.signal;
  }

  /** The caller went away (cancel or deadline) before the call was answered. */
  get cancelled(): boolean {
    return !this.#done && this.#call.cancelled;
  }

  /** True until the call is answered; outgoing calls inherit its deadline only until then. */
  get active(): boolean {
    return !this.#done;
  }

  /** The call has been answered: from now on its signal never aborts. */
  markDone(): void {
    this.#done = true;
  }

  /** Ends the handler's work early because the server drains (used for streams only). */
  abortForDrain(): void {
    const controller = this.#controller;
    if (controller && !controller.signal.aborted) {
      controller.abort(
        new AppError({
          code: Code.UNAVAILABLE,
          reason: TransportReason.SERVER_DRAINING,
          message: "server is draining; reconnect to another instance",
        }),
      );
    }
  }

  /** The status a call ended with when the caller went away: DEADLINE_EXCEEDED or CANCELLED. */
  cancelCode(): Code {
    const ms = this.deadlineMs;
    return ms !== undefined && ms <= Date.now() ? Code.DEADLINE_EXCEEDED : Code.CANCELLED;
  }

  #cancelReason(): AppError {
    const code = this.cancelCode();
    return code === Code.DEADLINE_EXCEEDED
      ? new AppError({ code, reason: "DEADLINE_EXCEEDED", message: "the caller's deadline passed" })
      : new AppError({ code, reason: "CANCELLED", message: "the caller cancelled the call" });
  }
}

/** grpc-js peers read "ipv4:10.0.0.7:5000", "10.0.0.7:5000", "[::1]:5000" or "ipv6:[::1]:5000". */
export function peerHost(peer: string): string {
  const bare = peer.replace(/^(ipv4|ipv6|unix):/, "");
  const bracketed = /^\[([^\]]+)\]/.exec(bare);
  if (bracketed?.[1]) return bracketed[1];
  const colon = bare.lastIndexOf(":");
  return colon > 0 && bare.indexOf(":") === colon ? bare.slice(0, colon) : bare;
}

/** The call being served, if any and still unanswered. */
export function activeIncomingCall(): ServerCallContext | undefined {
  const call = currentIncomingCall();
  return call?.active ? call : undefined;
}
