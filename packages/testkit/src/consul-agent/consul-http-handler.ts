import type { IncomingMessage, ServerResponse } from "node:http";
import type { ChangeNotifier } from "./change-notifier.ts";
import type { CheckStatus } from "./consul-agent.types.ts";
import { ConsulApiError } from "./consul-api-error.ts";
import type { ConsulCatalog } from "./consul-catalog.ts";
import {
  type AgentNode,
  agentChecksView,
  agentServicesView,
  catalogServicesView,
  catalogServiceView,
  healthServiceView,
} from "./consul-views.ts";
import { parseGoDuration } from "./go-duration.ts";
import { field, isCheckStatus, parseRegistration } from "./parse-registration.ts";

export interface ConsulHandlerDeps {
  catalog(): ConsulCatalog;
  notifier: ChangeNotifier;
  node: AgentNode;
  aclToken: string | undefined;
}

interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body(): Promise<unknown>;
  /** Aborted when the client disconnects or the agent stops. */
  signal: AbortSignal;
}

interface Reply {
  status?: number;
  json?: unknown;
  /** X-Consul-Index, for endpoints that support blocking queries. */
  index?: number;
}

const MAX_WAIT_MS = 10 * 60_000;
const DEFAULT_WAIT_MS = 5 * 60_000;
const MAX_BODY_BYTES = 1 << 20;

const ttlVerbs: Record<string, CheckStatus> = { pass: "passing", warn: "warning", fail: "critical" };

/** Routes Consul's HTTP API (the subset the kit uses) onto the catalogue. */
export function createConsulHandler(
  deps: ConsulHandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://consul.local");
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    const request: Request = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      body: () => readJson(req),
      signal: abort.signal,
    };
    route(deps, request, req.headers["x-consul-token"]).then(
      (reply) => send(res, reply),
      (error: unknown) => {
        const status = error instanceof ConsulApiError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
        res.end(message);
      },
    );
  };
}

async function route(
  deps: ConsulHandlerDeps,
  req: Request,
  headerToken: string | string[] | undefined,
): Promise<Reply> {
  const token =
    (typeof headerToken === "string" ? headerToken : undefined) ?? req.query.get("token") ?? undefined;
  if (deps.aclToken !== undefined && token !== deps.aclToken) throw new ConsulApiError(403, "ACL not found");
  const catalog = deps.catalog();
  const segments = req.path.split("/").slice(1).map(decodeURIComponent);
  const [v1, area, kind, verb, ...rest] = segments;
  if (v1 !== "v1") throw new ConsulApiError(404, "404 page not found");
  const tail = [verb, ...rest].filter((s) => s !== undefined).join("/");

  if (area === "agent" && kind === "service" && verb === "register") {
    expectMethod(req, "PUT");
    const definition = parseRegistration(await req.body());
    catalog.register(definition, flag(req.query, "replace-existing-checks"));
    return {};
  }
  if (area === "agent" && kind === "service" && verb === "deregister" && rest.length > 0) {
    expectMethod(req, "PUT");
    catalog.deregister(rest.join("/"), "api");
    return {};
  }
  if (area === "agent" && kind === "check" && verb !== undefined && rest.length > 0) {
    const checkId = rest.join("/");
    const status = ttlVerbs[verb];
    if (status) {
      expectMethod(req, "PUT");
      catalog.updateTtl(checkId, status, req.query.get("note") ?? "");
      return {};
    }
    if (verb === "update") {
      expectMethod(req, "PUT");
      const body = await req.body();
      const update = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
      const newStatus = field(update, "Status");
      if (!isCheckStatus(newStatus))
        throw new ConsulApiError(400, `Invalid check status: ${JSON.stringify(newStatus ?? "")}`);
      const output = field(update, "Output");
      catalog.updateTtl(checkId, newStatus, typeof output === "string" ? output : "");
      return {};
    }
  }
  if (area === "agent" && kind === "services" && tail === "") {
    expectMethod(req, "GET");
    return { json: agentServicesView(catalog, deps.node) };
  }
  if (area === "agent" && kind === "checks" && tail === "") {
    expectMethod(req, "GET");
    return { json: agentChecksView(catalog, deps.node) };
  }
  if (area === "health" && kind === "service" && tail !== "") {
    expectMethod(req, "GET");
    const index = await block(deps, req, () => catalog.indexOf(tail), tail);
    const filter = { passing: flag(req.query, "passing"), tags: req.query.getAll("tag") };
    return { json: healthServiceView(catalog, deps.node, tail, filter), index };
  }
  if (area === "catalog" && kind === "services" && tail === "") {
    expectMethod(req, "GET");
    const index = await block(deps, req, () => catalog.servicesIndex, undefined);
    return { json: catalogServicesView(catalog), index };
  }
  if (area === "catalog" && kind === "service" && tail !== "") {
    expectMethod(req, "GET");
    const index = await block(deps, req, () => catalog.indexOf(tail), tail);
    return { json: catalogServiceView(catalog, deps.node, tail, req.query.getAll("tag")), index };
  }
  if (area === "status" && kind === "leader" && tail === "") {
    expectMethod(req, "GET");
    return { json: `${deps.node.address}:8300` };
  }
  throw new ConsulApiError(404, "404 page not found");
}

/** Blocking-query semantics: with `index`, wait until the resource's index passes it or `wait` elapses. */
async function block(
  deps: ConsulHandlerDeps,
  req: Request,
  current: () => number,
  name: string | undefined,
): Promise<number> {
  const indexParam = req.query.get("index");
  if (indexParam !== null && indexParam !== "") {
    const index = Number(indexParam);
    if (!Number.isSafeInteger(index) || index < 0) throw new ConsulApiError(400, "Invalid index");
    const waitParam = req.query.get("wait");
    let waitMs = DEFAULT_WAIT_MS;
    if (waitParam !== null && waitParam !== "") {
      const parsed = parseGoDuration(waitParam);
      if (parsed === undefined || parsed < 0) throw new ConsulApiError(400, "Invalid wait time");
      waitMs = Math.min(parsed, MAX_WAIT_MS);
    }
    if (index > 0) await deps.notifier.waitForChange({ index, current, waitMs, name, signal: req.signal });
  }
  return current();
}

function expectMethod(req: Request, method: string): void {
  if (req.method !== method) throw new ConsulApiError(405, `method ${req.method} not allowed`);
}

/** Consul treats a bare `?passing` as true. */
function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && value !== "false" && value !== "0";
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ConsulApiError(413, "Request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConsulApiError(400, `Request decode failed: ${(error as Error).message}`);
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = {};
  if (reply.index !== undefined) {
    headers["x-consul-index"] = String(reply.index);
    headers["x-consul-knownleader"] = "true";
    headers["x-consul-lastcontact"] = "0";
  }
  if (reply.json === undefined) {
    res.writeHead(reply.status ?? 200, headers);
    res.end();
    return;
  }
  headers["content-type"] = "application/json";
  res.writeHead(reply.status ?? 200, headers);
  res.end(JSON.stringify(reply.json));
}
