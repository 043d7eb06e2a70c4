import { EventEmitter } from "node:events";
import type http from "node:http";
import type https from "node:https";
import { createRequire } from "node:module";
import type { Socket } from "node:net";
import type Consul from "consul";

export type ConsulClient = InstanceType<typeof Consul>;

/**
 * The `consul` package (and its HTTP client stack) is loaded on the first client, synchronously
 * (callers are synchronous; it is CommonJS): a service without CONSUL_HTTP_ADDR never loads it.
 */
let consulClass: typeof Consul | undefined;
const loadConsul = (): typeof Consul =>
  (consulClass ??= createRequire(import.meta.url)("consul") as typeof Consul);

export interface ConsulClientOptions {
  /** Consul's HTTP API, "http://host:port" (https works too). */
  url: string;
  token?: string | undefined;
  /** Let the process exit while a request waits (long blocking queries of background watches). */
  unref?: boolean;
}

/**
 * A client of Consul's HTTP API from the `consul` package, on a keep-alive agent of its own
 * (closed by `client.destroy()`). The token goes with every call.
 */
export function createConsulClient(options: ConsulClientOptions): ConsulClient {
  const url = new URL(options.url);
  const secure = url.protocol === "https:";
  // Required, not imported: an ES import of node:http or node:https makes Node build their ES facade,
  // which reads the WebSocket/MessageEvent getters and so compiles the whole bundled undici.
  const Agent = secure
    ? (createRequire(import.meta.url)("node:https") as typeof https).Agent
    : (createRequire(import.meta.url)("node:http") as typeof http).Agent;
  const agent = new Agent({ keepAlive: true });
  if (options.unref) unrefSockets(agent);
  const ConsulClass = loadConsul();
  return new ConsulClass({
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? (secure ? 443 : 80) : Number(url.port),
    secure,
    agent,
    ...(options.token ? { defaults: { token: options.token } } : {}),
  });
}

/**
 * Per-call controls the package takes but does not declare: `timeout` (ms, the whole request) and
 * `ctx`, an emitter whose "cancel" aborts the request.
 */
export interface CallControl {
  timeout: number;
  ctx?: EventEmitter;
}

/** Cancels the requests given its `ctx` when aborted (one per owner, e.g. on stop). */
export class CancelScope {
  readonly ctx = new EventEmitter();
  cancel(): void {
    this.ctx.emit("cancel");
  }
}

/** The HTTP status of a failed call, when Consul answered one. */
export function consulStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The body Consul answered a failed call with (plain text), else the error's message. */
export function consulMessageOf(error: unknown): string {
  const body = (error as { response?: { body?: unknown } } | undefined)?.response?.body;
  if (typeof body === "string" && body !== "") return body;
  return error instanceof Error ? error.message : String(error);
}

function unrefSockets(agent: http.Agent): void {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = ((...args: Parameters<typeof create>) => {
    const socket = create(...args) as Socket | undefined;
    socket?.unref();
    return socket;
  }) as typeof agent.createConnection;
}
