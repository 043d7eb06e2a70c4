import type { CheckStatus } from "./consul-agent.types.ts";
import { ConsulApiError } from "./consul-api-error.ts";
import { parseGoDuration } from "./go-duration.ts";

export interface CheckDefinition {
  checkId: string;
  name: string;
  notes: string;
  /** Initial status: the `Status` field, else critical, as Consul starts every check. */
  status: CheckStatus;
  /** "ttl", or the kind of a check the test agent stores but never runs ("http", "tcp", …). */
  type: string;
  ttlMs: number | undefined;
  deregisterCriticalServiceAfterMs: number | undefined;
  /** The definition as sent, for /v1/agent/checks. */
  raw: Record<string, unknown>;
}

export interface ServiceDefinition {
  id: string;
  name: string;
  address: string;
  port: number;
  tags: string[];
  meta: Record<string, string>;
  checks: CheckDefinition[];
}

const statuses: readonly string[] = ["passing", "warning", "critical"];
const runnableKinds = ["http", "tcp", "grpc", "udp", "h2ping", "args", "script", "aliasservice", "aliasnode"];

export function isCheckStatus(value: unknown): value is CheckStatus {
  return typeof value === "string" && statuses.includes(value);
}

/**
 * Reads a /v1/agent/service/register body the way Consul decodes it: Go's JSON decoder matches
 * field names case-insensitively, and Consul also accepts snake_case spellings.
 */
export function parseRegistration(body: unknown): ServiceDefinition {
  if (!isObject(body)) throw new ConsulApiError(400, "Request decode failed: expected a JSON object");
  const name = field(body, "Name");
  if (typeof name !== "string" || name === "") throw new ConsulApiError(400, "Missing service name");
  const idField = field(body, "ID");
  const id = typeof idField === "string" && idField !== "" ? idField : name;
  const port = field(body, "Port") ?? 0;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConsulApiError(400, "Request decode failed: Port must be a whole number");
  }
  const address = field(body, "Address") ?? "";
  if (typeof address !== "string")
    throw new ConsulApiError(400, "Request decode failed: Address must be a string");
  const definitions: Record<string, unknown>[] = [];
  const single = field(body, "Check");
  if (single !== undefined && single !== null) definitions.push(asObject(single, "Check"));
  const many = field(body, "Checks");
  if (many !== undefined && many !== null) {
    if (!Array.isArray(many)) throw new ConsulApiError(400, "Request decode failed: Checks must be an array");
    for (const c of many) definitions.push(asObject(c, "Checks[]"));
  }
  return {
    id,
    name,
    address,
    port,
    tags: stringArray(field(body, "Tags"), "Tags"),
    meta: stringMap(field(body, "Meta"), "Meta"),
    checks: definitions.map((raw, i) => parseCheck(raw, { id, name, index: i, count: definitions.length })),
  };
}

function parseCheck(
  raw: Record<string, unknown>,
  service: { id: string; name: string; index: number; count: number },
): CheckDefinition {
  const given = field(raw, "CheckID") ?? field(raw, "ID");
  // Consul's naming: "service:<id>", numbered from 1 when the service has several checks.
  const checkId =
    typeof given === "string" && given !== ""
      ? given
      : `service:${service.id}${service.count > 1 ? `:${service.index + 1}` : ""}`;
  const nameField = field(raw, "Name");
  const name =
    typeof nameField === "string" && nameField !== "" ? nameField : `Service '${service.name}' check`;
  const statusField = field(raw, "Status");
  let status: CheckStatus = "critical";
  if (statusField !== undefined && statusField !== null && statusField !== "") {
    if (!isCheckStatus(statusField))
      throw new ConsulApiError(400, `Invalid check status: ${JSON.stringify(statusField)}`);
    status = statusField;
  }
  const ttlMs = duration(raw, "TTL");
  const kind = runnableKinds.find((k) => {
    const v = field(raw, k);
    return v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && v.length === 0);
  });
  if (ttlMs === undefined && kind === undefined) {
    throw new ConsulApiError(400, `Invalid check: TTL must be > 0 for TTL checks`);
  }
  if (ttlMs !== undefined && ttlMs <= 0)
    throw new ConsulApiError(400, `Invalid check: TTL must be > 0 for TTL checks`);
  const notes = field(raw, "Notes");
  return {
    checkId,
    name,
    notes: typeof notes === "string" ? notes : "",
    status,
    type: ttlMs !== undefined ? "ttl" : (kind as string),
    ttlMs,
    deregisterCriticalServiceAfterMs: duration(raw, "DeregisterCriticalServiceAfter"),
    raw,
  };
}

function duration(raw: Record<string, unknown>, key: string): number | undefined {
  const value = field(raw, key);
  if (value === undefined || value === null || value === "") return undefined;
  // The JSON API also takes nanoseconds as a number.
  const ms =
    typeof value === "number" ? value / 1e6 : typeof value === "string" ? parseGoDuration(value) : undefined;
  if (ms === undefined)
    throw new ConsulApiError(400, `Request decode failed: ${key}: invalid duration ${JSON.stringify(value)}`);
  return ms;
}

/** Case- and underscore-insensitive lookup, like Consul's decoder. */
export function field(obj: Record<string, unknown>, name: string): unknown {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(obj)) {
    if (key.replaceAll("_", "").toLowerCase() === wanted) return value;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (!isObject(value)) throw new ConsulApiError(400, `Request decode failed: ${what} must be an object`);
  return value;
}

function stringArray(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new ConsulApiError(400, `Request decode failed: ${what} must be an array of strings`);
  }
  return [...value];
}

function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw new ConsulApiError(400, `Request decode failed: ${what} must map strings to strings`);
  }
  return { ...(value as Record<string, string>) };
}
