import http from "node:http";
import https from "node:https";

export interface ConsulRequest {
  /** "http://host:port" (https works too). */
  baseUrl: string;
  path: string;
  method: "GET" | "PUT";
  body?: unknown;
  token?: string | undefined;
  signal: AbortSignal;
  /** A keep-alive agent owned by the caller (http only); destroyed by the caller when done. */
  agent?: http.Agent | undefined;
  /** Let the process exit while this request waits (long blocking queries in background watches). */
  unref?: boolean;
}

export interface ConsulResponse {
  status: number;
  text: string;
  /** X-Consul-Index, when the endpoint supports blocking queries. */
  index: number | undefined;
}

/** One request to Consul's HTTP API. Rejects on network errors and aborts; any HTTP status resolves. */
export function consulRequest(request: ConsulRequest): Promise<ConsulResponse> {
  const url = new URL(request.path, request.baseUrl);
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = {};
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  if (request.token) headers["x-consul-token"] = request.token;
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      url,
      {
        method: request.method,
        headers,
        signal: request.signal,
        ...(request.agent && !secure ? { agent: request.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        // A connection cut mid-answer (agent stopping) must reject, not hang.
        res.on("close", () => {
          if (!res.complete) reject(new Error("consul closed the connection mid-answer"));
        });
        res.on("end", () => {
          const index = res.headers["x-consul-index"];
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            index: typeof index === "string" && index !== "" ? Number(index) : undefined,
          });
        });
      },
    );
    req.on("error", reject);
    if (request.unref) req.on("socket", (socket) => socket.unref());
    req.end(payload);
  });
}

/** Consul durations are Go durations: whole seconds read best ("10s"), else milliseconds ("250ms"). */
export function goDuration(ms: number): string {
  return Number.isInteger(ms / 1000) ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
