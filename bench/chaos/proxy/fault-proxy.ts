import { connect, createServer, type Server, type Socket } from "node:net";
import { type DelaySettings, NO_DELAY } from "./delay-schedule.ts";
import { type DirectionFaults, PipeDirection } from "./pipe-direction.ts";

/** upstream = client -> target (requests), downstream = target -> client (responses). */
export type Direction = "upstream" | "downstream";
export const DIRECTIONS: readonly Direction[] = ["upstream", "downstream"];

export interface FaultProxyStats {
  accepted: number;
  /** Connections ended by resetAll() or by healing a partition. */
  reset: number;
  /** Bytes discarded by a one-way partition. */
  droppedBytes: number;
}

export interface FaultProxy {
  /** What to dial instead of the target: `127.0.0.1:<port>`. */
  readonly address: string;
  readonly port: number;
  readonly name: string;
  readonly openConnections: number;
  readonly stats: FaultProxyStats;
  /** Added latency, jitter and bandwidth on one direction or both (merged into what is set). */
  setDelay(settings: Partial<DelaySettings>, direction?: Direction | "both"): void;
  /** Sends a TCP RST on every open connection, both sides; new connections are accepted as usual. */
  resetAll(): number;
  /** Accepts connections and forwards nothing, either way, until heal(). */
  blackhole(): void;
  /** Drops every byte going one way until heal(). */
  partition(direction: Direction): void;
  /**
   * Kills every open connection silently and for good: bytes vanish both ways, nothing is reset
   * (not even by heal), as when a NAT or firewall forgets a flow or a host vanishes. New
   * connections are unaffected: only an endpoint that notices (a keepalive ping) recovers.
   */
  strandOpen(): number;
  /**
   * Clears every fault. Held bytes flow again; connections that lost bytes to a partition are reset
   * (a real TCP connection would have timed out: its stream has a gap).
   */
  heal(): void;
  close(): Promise<void>;
}

interface Connection {
  client: Socket;
  upstream: Socket;
  pipes: Record<Direction, PipeDirection>;
}

const freshFaults = (): DirectionFaults => ({ delay: { ...NO_DELAY }, stalled: false, dropping: false });

/**
 * A TCP proxy for fault injection: listens on a loopback port and forwards every connection to
 * `target`, applying the faults of the moment. Driven in-process by the chaos suite (no control
 * port to secure): a service dials the proxy through its `<PEER>_GRPC_ADDR` or `DATABASE_URL`.
 */
export async function startFaultProxy(options: {
  name: string;
  targetHost?: string;
  targetPort: number;
  listenPort?: number;
}): Promise<FaultProxy> {
  const targetHost = options.targetHost ?? "127.0.0.1";
  const faults: Record<Direction, DirectionFaults> = { upstream: freshFaults(), downstream: freshFaults() };
  const open = new Set<Connection>();
  const stats: FaultProxyStats = { accepted: 0, reset: 0, droppedBytes: 0 };

  const reset = (c: Connection) => {
    open.delete(c);
    for (const d of DIRECTIONS) c.pipes[d].stop();
    c.client.resetAndDestroy();
    c.upstream.resetAndDestroy();
    stats.reset++;
  };
  const flushAll = () => {
    for (const c of open) for (const d of DIRECTIONS) c.pipes[d].flush();
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    stats.accepted++;
    client.setNoDelay(true);
    const upstream = connect({ host: targetHost, port: options.targetPort, noDelay: true });
    upstream.pause();
    const connection: Connection = {
      client,
      upstream,
      pipes: {
        upstream: new PipeDirection(client, upstream, faults.upstream),
        downstream: new PipeDirection(upstream, client, faults.downstream),
      },
    };
    open.add(connection);
    // Either side failing or closing takes the other down too; errors are expected here (resets).
    const finish = (error?: Error) => {
      if (!open.delete(connection)) return;
      for (const d of DIRECTIONS) connection.pipes[d].stop();
      if (error) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      } else {
        client.destroy();
        upstream.destroy();
      }
    };
    client.on("error", finish);
    upstream.on("error", finish);
    client.on("close", () => finish());
    upstream.on("close", () => finish());
    upstream.once("connect", () => {
      for (const d of DIRECTIONS) connection.pipes[d].flush();
    });
    client.resume();
  });
  server.on("error", () => {
    // A listening error after start (none expected on loopback) must not crash the suite.
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listenPort ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    address: `127.0.0.1:${port}`,
    port,
    name: options.name,
    get openConnections() {
      return open.size;
    },
    get stats() {
      let lost = 0;
      for (const c of open) for (const d of DIRECTIONS) lost += c.pipes[d].lostBytes;
      return { ...stats, droppedBytes: stats.droppedBytes + lost };
    },
    setDelay(settings, direction = "both") {
      for (const d of direction === "both" ? DIRECTIONS : [direction])
        faults[d].delay = { ...faults[d].delay, ...settings };
      flushAll();
    },
    resetAll() {
      const all = [...open];
      for (const c of all) reset(c);
      return all.length;
    },
    blackhole() {
      for (const d of DIRECTIONS) faults[d].stalled = true;
    },
    strandOpen() {
      for (const c of open) for (const d of DIRECTIONS) c.pipes[d].stranded = true;
      return open.size;
    },
    partition(direction) {
      faults[direction].dropping = true;
    },
    heal() {
      for (const d of DIRECTIONS) {
        faults[d].delay = { ...NO_DELAY };
        faults[d].stalled = false;
        faults[d].dropping = false;
      }
      for (const c of [...open]) {
        if (c.pipes.upstream.stranded) continue;
        const lost = c.pipes.upstream.lostBytes + c.pipes.downstream.lostBytes;
        if (lost > 0) {
          stats.droppedBytes += lost;
          reset(c);
        }
      }
      flushAll();
    },
    async close() {
      for (const c of [...open]) reset(c);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
