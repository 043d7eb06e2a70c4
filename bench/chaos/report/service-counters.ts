/**
 * The resilience counters the chaos report reads from each process's own /metrics: the kit's gRPC
 * client retries and circuit state, the order saga's deferred retries and compensations, and what
 * was shed (HTTP 503 on /v1 routes, gRPC RESOURCE_EXHAUSTED answered by a server), and the saga's
 * forward steps as the peers served them (3 per order when nothing is done twice).
 */
export interface Counters {
  rpcRetries: number;
  sagaRetries: number;
  compensations: number;
  shedHttp: number;
  shedGrpc: number;
  /** Calls of the saga's forward steps the peers served (Reserve, IssueInvoice, CreateShipment), any outcome. */
  stepCalls: number;
  /** Highest circuit state of any peer (0 closed, 1 open, 2 half-open); only meaningful per sample. */
  circuitOpen: number;
}

export const ZERO: Counters = Object.freeze({
  rpcRetries: 0,
  sagaRetries: 0,
  compensations: 0,
  shedHttp: 0,
  shedGrpc: 0,
  stepCalls: 0,
  circuitOpen: 0,
});

/** The saga's forward steps, by gRPC method name: one call each per order when nothing runs twice. */
export const FORWARD_STEP_METHODS: readonly string[] = ["Reserve", "IssueInvoice", "CreateShipment"];

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? ([0-9.eE+-]+|NaN|\+Inf)$/;
const RESOURCE_EXHAUSTED = "8";

function label(labels: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(labels);
  return m?.[1];
}

export function parseCounters(text: string): Counters {
  const out = { ...ZERO };
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (!m) continue;
    const name = (m[1] as string).replace(/^orderly_/, "");
    const labels = m[2] ?? "";
    const value = Number(m[3]);
    if (!Number.isFinite(value)) continue;
    if (name === "rpc_client_retries_total") out.rpcRetries += value;
    else if (name === "order_saga_retries_total") out.sagaRetries += value;
    else if (name === "order_saga_compensations_total") out.compensations += value;
    else if (name === "rpc_client_circuit_state")
      out.circuitOpen = Math.max(out.circuitOpen, value === 1 ? 1 : 0);
    else if (name === "http_server_request_duration_seconds_count") {
      const status = label(labels, "http_response_status_code") ?? label(labels, "status_code");
      const route = label(labels, "http_route") ?? label(labels, "route") ?? "";
      if (status === "503" && route.startsWith("/v1")) out.shedHttp += value;
    } else if (name === "rpc_server_duration_seconds_count") {
      if (label(labels, "rpc_grpc_status_code") === RESOURCE_EXHAUSTED) out.shedGrpc += value;
      if (FORWARD_STEP_METHODS.includes(label(labels, "rpc_method") ?? "")) out.stepCalls += value;
    }
  }
  return out;
}

/** A process's counters, or undefined when its /metrics did not answer (stopping, stopped). */
export async function scrapeCounters(httpUrl: string): Promise<Counters | undefined> {
  try {
    const response = await fetch(`${httpUrl}/metrics`, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) return undefined;
    return parseCounters(await response.text());
  } catch {
    return undefined;
  }
}

export function addCounters(a: Counters, b: Counters): Counters {
  return {
    rpcRetries: a.rpcRetries + b.rpcRetries,
    sagaRetries: a.sagaRetries + b.sagaRetries,
    compensations: a.compensations + b.compensations,
    shedHttp: a.shedHttp + b.shedHttp,
    shedGrpc: a.shedGrpc + b.shedGrpc,
    stepCalls: a.stepCalls + b.stepCalls,
    circuitOpen: Math.max(a.circuitOpen, b.circuitOpen),
  };
}
