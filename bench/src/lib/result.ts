import type { DbCost } from "./pg-stats.ts";
import type { ProcessUsage } from "./processes.ts";
import type { RuntimeGauges, ServerTime } from "./server-metrics.ts";

/** One load run against one target: what autocannon or the gRPC load client measured. */
export interface LoadStats {
  /** Completed requests (any status) per second of the measured window. */
  rps: number;
  requests: number;
  durationSeconds: number;
  /** Latency of every completed request, milliseconds. */
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Transport failures and timeouts: no answer at all. */
  errors: number;
  /** HTTP answers outside 2xx, or gRPC statuses other than OK. */
  non2xx: number;
  /** Count per HTTP status or gRPC status name. */
  statuses: Record<string, number>;
}

export interface SideResult {
  /** Aggregated over the measured rounds: rps = requests / seconds, percentiles = median of rounds, max = max. */
  stats: LoadStats;
  rounds: LoadStats[];
  /** CPU cores the load generator (this process) used while loading this side, median of rounds. */
  loadGeneratorCores: number;
  process: ProcessUsage & {
    readyMs: number;
    idleRssMb: number;
    /** Server CPU time per completed request over all rounds, microseconds. */
    cpuUsPerRequest: number;
  };
}

/** kit vs bare: the same endpoint through the kit and through the bare framework, alternating. */
export interface PairScenarioResult {
  kind: "pair";
  name: string;
  description: string;
  connections: number;
  kit: SideResult;
  bare: SideResult;
  /** Median over rounds of kit rps / bare rps, each pair measured back to back. */
  ratio: number;
  roundRatios: number[];
  /**
   * bare CPU per request / kit CPU per request (median over rounds): the same comparison measured
   * in server CPU time instead of wall-clock throughput, so it hardly moves when other processes
   * take the cores away; on an idle machine with a CPU-bound server the two ratios coincide.
   */
  cpuRatio: number;
  roundCpuRatios: number[];
}

/** A scenario against the full stack: one load run, every service's process usage beside it. */
export interface StackScenarioResult {
  kind: "stack";
  name: string;
  description: string;
  connections: number;
  stats: LoadStats;
  processes: ProcessUsage[];
  /** Order statuses seen in the answers (CONFIRMED, PENDING, REJECTED…). */
  outcomes: Record<string, number>;
  /** Per service and series (HTTP route, RPC method, saga step): calls and mean ms during the run. */
  serverTimes: ServerTime[];
  /** CPU time of the four services together per completed request (per order), milliseconds. */
  cpuMsPerRequest?: number;
  /** Each service's event-loop delay during the run (prom-client's gauges, scraped right after it). */
  eventLoop?: ({ service: string } & RuntimeGauges)[];
  /** Commits and rows written per order in each service's database (PostgreSQL only). */
  database?: DbCost;
}

export type ScenarioResult = PairScenarioResult | StackScenarioResult;

export interface ConsistencyResult {
  ok: boolean;
  /** Human-readable failures; empty when ok. */
  problems: string[];
  counts: {
    acknowledged: number;
    orders: number;
    byStatus: Record<string, number>;
    invoices: number;
    shipments: number;
    skusChecked: number;
    /** The hot SKU after every scenario: reserved stock against the quantities of CONFIRMED orders. */
    hotSku?: { onHand: number; reserved: number; confirmedQuantity: number };
  };
}

export interface ServiceStartup {
  name: string;
  readyMs: number;
  /** RSS a few seconds after ready, before any load. */
  idleRssMb: number;
}

export interface StackInfo {
  database: "postgres" | "pglite";
  databaseVersion: string;
  startup: ServiceStartup[];
  consistency: ConsistencyResult | undefined;
  /** Requests without a 2xx/OK answer, replayed with the same idempotency key before the check. */
  replayed: number;
  /** Why the stack scenarios did not run, when they did not. */
  skipped?: string;
  /** The pre-seeded scenario: how many orders were written into the databases first, and how fast. */
  seeded?: { orders: number; seconds: number };
  /** The embedded default (PGlite, telemetry off, as `pnpm start` runs): its own stack and check. */
  embedded?: {
    startup: ServiceStartup[];
    consistency: ConsistencyResult | undefined;
    replayed: number;
    skipped?: string;
  };
}

/** `pgbench -N` on the same server in the same run: the yardstick of "how close to the database's limit". */
export interface PgbenchResult {
  command: string;
  /** tps without initial connection time; NaN when pgbench did not run. */
  tps: number;
  /** Why it did not run, when it did not. */
  skipped?: string;
}

/** Recorded -> handled lag of the events handled in a phase's measured window, milliseconds. */
export interface EventsLag {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface EventsPhase {
  /** Events handled in the measured window (after the warm-up). */
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Paced phase: the rate the producer was held to. */
  targetPerSecond?: number;
  lagMs: EventsLag;
  /** CPU time of the bench process (producer, relay and consumer; not PostgreSQL's) per handled event. */
  cpuMsPerEvent: number;
  /** CPU and RSS of the bench process (producer, relay and consumer) and of nats-server in the window. */
  processes: ProcessUsage[];
}

/** A raw JetStream publish loop (PubAck awaited, fresh Nats-Msg-Id), `inFlight` publishes at a time. */
export interface RawPublishRate {
  inFlight: number;
  messages: number;
  seconds: number;
  perSecond: number;
}

/** One stage of the path alone on a backlog (the others stopped): which one bounds the path. */
export interface EventsStage {
  stage: string;
  events: number;
  perSecond: number;
}

/** The event path: recordEvent -> outbox relay -> JetStream -> durable consumer, and NATS's own rate beside it. */
export interface EventsResult {
  database: string;
  natsServer: string;
  payloadBytes: number;
  writers: number;
  maxInFlight: number;
  /** As fast as the path goes (queue bounded by maxInFlight). */
  saturated: EventsPhase;
  /** The producer held to half the saturated rate. */
  paced: EventsPhase;
  /** Deliveries the inbox turned away (a redelivery of an event already handled). */
  duplicates: number;
  rawPublish: RawPublishRate[];
  stages: EventsStage[];
  /** Why it did not run, when it did not. */
  skipped?: string;
}

export interface MachineInfo {
  hostname: string;
  platform: string;
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  /** 1/5/15-minute load averages at the start and end of the run. */
  loadAtStart: number[];
  loadAtEnd: number[];
  node: string;
  packages: Record<string, string>;
}

export interface GateResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface TargetResult {
  name: string;
  target: string;
  measured: string;
  met: boolean;
  /** How far off, when missed ("-12 %", "+38 MB"). */
  gap: string;
}

/** One side of the restart scenario: medians over rounds, and every round. */
export interface RestartSide {
  readyMs: number;
  readyMsRounds: number[];
  /** CPU time (user + system) to ready, ms: what the start-up costs, whatever the machine's load. */
  readyCpuMs: number;
  readyCpuMsRounds: number[];
  idleRssMb: number;
  idleRssMbRounds: number[];
}

/** Restart to ready (database already migrated) and idle RSS: a real service against bare fastify and grpc-js. */
export interface RestartResult {
  service: string;
  database: "postgres" | "pglite";
  rounds: number;
  /** Milliseconds after ready at which idle RSS was read. */
  idleMs: number;
  kit: RestartSide;
  bareFastify: RestartSide;
  bareGrpc: RestartSide;
  /** Median over rounds of kit ready ms / bare ready ms, measured in the same round. */
  readyRatioFastify: number;
  readyRatioGrpc: number;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  mode: "full" | "ci";
  command: string;
  machine: MachineInfo;
  scenarios: ScenarioResult[];
  stack: StackInfo | undefined;
  gates: GateResult[];
  /** The performance targets (full runs): met or missed, and by how much. */
  targets: TargetResult[];
  /** Scenarios that crashed (a service that would not start…), with the reason. */
  failures: string[];
  pgbench?: PgbenchResult;
  /** The event scenario (`--only=events`; needs nats-server on PATH). */
  events?: EventsResult;
  /** The `restart` scenario, when it ran. */
  restart?: RestartResult;
  /** Folder of .cpuprofile files when the run was profiled (numbers then include profiler overhead). */
  cpuProfileDir?: string;
}
