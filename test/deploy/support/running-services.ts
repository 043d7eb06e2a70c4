import type { Service } from "@orderly/kit/service";
import { type Env, type RunningService, startInProcess } from "@orderly/testkit/harness";
import { main as fulfillmentMain } from "../../../services/fulfillment/src/main.ts";
import { main as orderMain } from "../../../services/order/src/main.ts";

/** Static peer addresses nothing listens on: start-up and /metrics need no peer. */
const NO_PEERS: Env = {
  ORDER_GRPC_ADDR: "127.0.0.1:1",
  INVENTORY_GRPC_ADDR: "127.0.0.1:1",
  INVOICE_GRPC_ADDR: "127.0.0.1:1",
  FULFILLMENT_GRPC_ADDR: "127.0.0.1:1",
};

type AnyMain = (env: Env) => Promise<Service<string, unknown>>;

/** The order service through its own main(), in this process, on an in-memory database. */
export function startOrder(env: Env = {}): Promise<RunningService> {
  return startInProcess(orderMain as unknown as AnyMain, {
    DATABASE_URL: "pglite:memory",
    ...NO_PEERS,
    ...env,
  });
}

/** The fulfillment service (the one with the outbox) through its own main(), in this process. */
export function startFulfillment(env: Env = {}): Promise<RunningService> {
  return startInProcess(fulfillmentMain as unknown as AnyMain, {
    DATABASE_URL: "pglite:memory",
    ...NO_PEERS,
    ...env,
  });
}

export async function scrape(running: RunningService): Promise<{ status: number; body: string }> {
  const response = await fetch(`${running.httpUrl}/metrics`);
  return { status: response.status, body: await response.text() };
}
