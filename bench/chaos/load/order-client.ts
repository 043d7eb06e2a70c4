import type { OrderLedger } from "../../src/scenarios/order-ledger.ts";

/** One logical order request as the client saw it, however many attempts it took. */
export interface RequestRecord {
  /** ms since the load's epoch (performance.now()). */
  startedAt: number;
  endedAt: number;
  ok: boolean;
  attempts: number;
  /** First attempt's outcome: HTTP status or an error name. */
  first: string;
  /** Final outcome when it failed. */
  final: string;
}

export interface OrderClientOptions {
  /** Base URLs of the order replicas that are up right now (the client's balancer list). */
  targets: () => string[];
  ledger: OrderLedger;
  /** Give up on a request after this long (all attempts). */
  budgetMs: number;
  /** One attempt's timeout. */
  attemptTimeoutMs: number;
}

// Statuses a real client retries with the same idempotency key: overload, gateway trouble, limits.
const RETRYABLE = new Set([429, 502, 503, 504]);
let rotation = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POST /v1/orders the way a real client does it: one idempotency key per order, kept across
 * attempts; on 429/502/503/504, a timeout or a connection error it waits (exponential backoff with
 * jitter, never less than Retry-After) and tries again, on the next replica of its list, until its
 * budget is spent. Anything else that is not 2xx is a failure at once (a 4xx or 500 is final).
 */
export async function sendOrder(
  options: OrderClientOptions,
  key: string,
  body: string,
): Promise<RequestRecord> {
  const startedAt = performance.now();
  const send = async (base: string) => {
    const response = await fetch(`${base}/v1/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key },
      body,
      signal: AbortSignal.timeout(options.attemptTimeoutMs),
    });
    const text = await response.text();
    return { status: response.status, text, retryAfter: response.headers.get("retry-after") };
  };
  options.ledger.sent(key, async () => {
    const base = options.targets()[0];
    if (!base) return undefined;
    const answer = await send(base);
    if (answer.status < 200 || answer.status >= 300) return undefined;
    const order = JSON.parse(answer.text) as { id: string; status: string };
    return { id: order.id, status: order.status };
  });
  let attempts = 0;
  let first = "";
  let final = "";
  for (;;) {
    attempts++;
    const targets = options.targets();
    const base = targets[rotation++ % Math.max(1, targets.length)];
    let waitMs = Math.min(5000, 200 * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
    if (base === undefined) {
      final = "no replica";
    } else {
      try {
        const answer = await send(base);
        final = String(answer.status);
        if (answer.status >= 200 && answer.status < 300) {
          const order = JSON.parse(answer.text) as { id: string; status: string };
          options.ledger.answered(key, order.id, order.status);
          first ||= final;
          return { startedAt, endedAt: performance.now(), ok: true, attempts, first, final };
        }
        if (!RETRYABLE.has(answer.status)) {
          first ||= final;
          return { startedAt, endedAt: performance.now(), ok: false, attempts, first, final };
        }
        const after = Number(answer.retryAfter);
        // Retry-After is a floor, not a schedule: a client that retries every Retry-After seconds
        // however often it was refused keeps an overloaded service overloaded (a retry storm).
        if (Number.isFinite(after) && after > 0) waitMs = Math.max(waitMs, after * 1000);
      } catch (error) {
        final = (error as Error).name === "TimeoutError" ? "timeout" : "connection error";
      }
    }
    first ||= final;
    if (performance.now() - startedAt + waitMs > options.budgetMs)
      return { startedAt, endedAt: performance.now(), ok: false, attempts, first, final };
    await sleep(waitMs);
  }
}
