import type { Client, ClientConfig } from "pg";
import type { DbLogger } from "./database.types.ts";
import { quoteChannel } from "./notify-channel.ts";
import { pg } from "./pg-module.ts";

const RECONNECT_INITIAL_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to other queries). If the
 * connection drops, it reconnects with backoff; notifications sent meanwhile are lost, so treat them
 * as a wake-up hint and keep polling for the truth.
 */
export async function listenPostgres(
  clientConfig: ClientConfig,
  channel: string,
  onNotify: (payload: string) => void,
  log: DbLogger,
): Promise<() => Promise<void>> {
  const listenSql = `LISTEN ${quoteChannel(channel)}`;
  let stopped = false;
  let current: Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let delayMs = RECONNECT_INITIAL_MS;

  const deliver = (payload: string) => {
    try {
      onNotify(payload);
    } catch (err) {
      log.error({ err, channel }, "notification handler threw");
    }
  };

  const connect = async (): Promise<void> => {
    const client = new pg.Client(clientConfig);
    let live = false;
    const onLost = (err?: Error) => {
      if (!live) return;
      live = false;
      if (current === client) current = undefined;
      client.end().catch(() => {});
      if (stopped) return;
      log.warn({ err, channel }, "database LISTEN connection lost; reconnecting");
      scheduleReconnect();
    };
    // Without an 'error' listener a dropped connection would crash the process.
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (msg) => {
      if (msg.channel === channel) deliver(msg.payload ?? "");
    });
    try {
      await client.connect();
      await client.query(listenSql);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    if (stopped) {
      await client.end().catch(() => {});
      return;
    }
    live = true;
    current = client;
    delayMs = RECONNECT_INITIAL_MS;
  };

  const scheduleReconnect = () => {
    timer = setTimeout(async () => {
      timer = undefined;
      if (stopped) return;
      try {
        await connect();
        log.info({ channel }, "database LISTEN reconnected");
      } catch (err) {
        delayMs = Math.min(delayMs * 2, RECONNECT_MAX_MS);
        log.warn({ err, channel, retryInMs: delayMs }, "database LISTEN reconnect failed");
        scheduleReconnect();
      }
    }, delayMs);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const client = current;
    current = undefined;
    if (client) await client.end().catch(() => {});
  };
}
