import type { BenchReport, GateResult, TargetResult } from "./result.ts";

/**
 * Minimum kit/bare ratios for `pnpm bench:ci`, compared with the CPU-normalized ratio (bare CPU µs
 * per request / kit CPU µs per request, median of the rounds; see PairScenarioResult.cpuRatio).
 *
 * Why CPU and not req/s: CI runs short rounds on a shared 2-core runner where the load generator,
 * the kit process and the bare process compete for two cores with whatever else runs. Throughput
 * then measures the scheduler as much as the server (rounds seen from 0.13 to 1.4 within one run
 * on a loaded box); the CPU a server spends per request hardly depends on how often it gets a
 * core, and on an idle machine with a CPU-bound server the two ratios coincide. The req/s ratio is
 * still reported, and the full run checks the real targets (0.9 and 0.85) on it.
 *
 * Why these floors: below the lowest median the current kit measured on this shared box (health
 * 0.37-0.75, grpc 0.65-0.80 over 16 full and CI runs on 2026-11-21, load average 1-14; the 0.37 came
 * from a CI run with load rising to 6, where the kit's CPU per request grew by half and bare's did
 * not), so noise does not fail CI, while a regression that doubles the kit's cost per request (a log
 * line or a span per request, a synchronous call, an allocation storm in a hook) does. They are
 * regression floors, not the targets; raise them when the kit gets faster (with the telemetry fix in
 * bench/README.md, health measures ~0.8).
 */
export const CI_RATIO_FLOORS: Readonly<Record<string, number>> = {
  health: 0.3,
  grpc: 0.5,
};

/**
 * Commits per order of `order-create` in the four databases together (pg_stat_database, see
 * lib/pg-stats.ts), and how far above it CI fails. Commits do not depend on the machine's speed: a
 * change that adds a transaction to the order path adds ~1 to this number on any machine. Measured
 * on main before the saga redesign (bench/README.md, "Before the redesign"): 16.9-17.9 in three runs
 * at 2-9 orders/s on a loaded box (the services' idle polling, ~6.5 commits/s, weighs more per order
 * when throughput is low). After it: 7.7-7.9 in `pnpm bench` runs at 110-180 orders/s and 9.1 in
 * `bench:ci` (shorter, slower runs), 2026-12-03 16:07, so the baseline was 9. After the precompiled
 * statements, the relay's settle-and-claim and the one-transaction numbering pass (2026-12-08):
 * 5.56 in `pnpm bench` (01:22) and 6.53 in `bench:ci` (01:45), so the baseline is 6.5 (CI fails
 * above 7.8). **Lower it when the path gets cheaper**, to the new measured value, so the gain is kept.
 */
export const CI_COMMITS_PER_ORDER_BASELINE = 6.5;
export const CI_COMMITS_TOLERANCE = 0.2;

/**
 * CPU per order of the four services (ms) over CPU per request of bare fastify answering /health
 * (the `health` scenario's bare side, µs), both measured in the same run: a machine-independent
 * cost of an order in "bare HTTP requests". Measured on main before the redesign: see
 * bench/README.md (761 and 1,026 before the redesign; after it 235, 292 and 510 in three `bench:ci`
 * runs on 2026-12-03, the spread coming mostly from the yardstick: 28-56 µs per bare request; 303
 * and 480 in two `bench:ci` runs on 2026-12-08, 01:45 and 01:50). The ceiling stays below the old
 * path's cost (761) and above that spread; lower it when the path's cost falls further.
 */
export const CI_CPU_PER_ORDER_RATIO_CEILING = 750;

/**
 * Idle RSS of a real service (the restart scenario's inventory, telemetry on) over the larger of bare
 * fastify and bare grpc-js, both read 1 s after ready in the same run (MB). A service runs both
 * frameworks, so the larger bare process is the floor it cannot go below; the issue's target is
 * +30 MB. Measured (bench/README.md, "Idle RSS and restart", 2026-12-04): 100 MB over bare before
 * the lean start-up (178 vs 78), 36.8 MB after (114.6 vs 77.8; rounds 35-44); 29.5-30.3 MB after the
 * on-demand loading of 2026-12-04 evening (107.3-108.1 vs 77.8, "Restart, second pass"). The ceiling
 * is that plus 10 MB: losing the memory release (+~45 MB), the TypeScript stripper coming back
 * (+18 MB) or the unused packages loading again (+~10 MB) fails it. Since images run the bundle
 * (`pnpm build`, which the restart scenario measures): 16.9-19.1 MB (2026-12-08, five runs), so the
 * ceiling is the issue's +30 MB: losing the memory release (+~15 MB on the bundle) fails it.
 */
export const CI_IDLE_RSS_OVER_BARE_CEILING_MB = 30;

/** Scenarios that must be present in a CI report (the stack ones need all four services). */
export const CI_REQUIRED_SCENARIOS: readonly string[] = [
  "health",
  "grpc",
  "order-create",
  "order-create-hot",
  "order-create-grpc",
  "order-get",
];

export interface GateOptions {
  ratioFloors?: Readonly<Record<string, number>>;
  requiredScenarios?: readonly string[];
  commitsPerOrderBaseline?: number;
  cpuPerOrderRatioCeiling?: number;
  idleRssOverBareCeilingMb?: number;
  /** The restart scenario was asked for: its absence fails. */
  requireRestart?: boolean;
}

/** Idle RSS of the restart scenario's service over the larger bare process, against the ceiling. */
export function restartGates(
  report: Pick<BenchReport, "restart">,
  options: Pick<GateOptions, "idleRssOverBareCeilingMb" | "requireRestart"> = {},
): GateResult[] {
  const ceiling = options.idleRssOverBareCeilingMb ?? CI_IDLE_RSS_OVER_BARE_CEILING_MB;
  const name = `restart: idle RSS over bare <= ${ceiling} MB`;
  const r = report.restart;
  if (!r)
    return options.requireRestart ? [{ name, ok: false, detail: "the restart scenario did not run" }] : [];
  const bare = Math.max(r.bareFastify.idleRssMb, r.bareGrpc.idleRssMb);
  const over = Math.round((r.kit.idleRssMb - bare) * 10) / 10;
  return [
    {
      name,
      ok: Number.isFinite(over) && r.kit.idleRssMb > 0 && over <= ceiling,
      detail: `${r.service} ${r.kit.idleRssMb} MB (rounds ${r.kit.idleRssMbRounds.join(", ")}) - bare ${bare} MB (fastify ${r.bareFastify.idleRssMb}, grpc-js ${r.bareGrpc.idleRssMb}) = ${over} MB; restart to ready ${r.kit.readyMs} ms, ${r.readyRatioFastify}x bare fastify`,
    },
  ];
}

/** The order path's cost gates: commits per order and CPU per order in bare-request units. */
export function costGates(
  report: Pick<BenchReport, "scenarios" | "stack">,
  options: Pick<GateOptions, "commitsPerOrderBaseline" | "cpuPerOrderRatioCeiling"> = {},
): GateResult[] {
  const baseline = options.commitsPerOrderBaseline ?? CI_COMMITS_PER_ORDER_BASELINE;
  const ceiling = options.cpuPerOrderRatioCeiling ?? CI_CPU_PER_ORDER_RATIO_CEILING;
  const create = report.scenarios.find((s) => s.name === "order-create");
  if (create?.kind !== "stack") return [];
  const gates: GateResult[] = [];
  const limit = Math.round(baseline * (1 + CI_COMMITS_TOLERANCE) * 100) / 100;
  const commitsName = `order-create: commits per order <= ${limit} (baseline ${baseline} + ${CI_COMMITS_TOLERANCE * 100} %)`;
  const d = create.database;
  if (d && Number.isFinite(d.total.commitsPerOrder)) {
    gates.push({
      name: commitsName,
      ok: d.total.commitsPerOrder <= limit,
      detail: `${d.total.commitsPerOrder} commits per order over ${d.orders} orders in ${d.windowSeconds} s (${d.services.map((x) => `${x.service} ${x.commitsPerOrder}`).join(", ")})`,
    });
  } else if (report.stack?.database === "postgres") {
    gates.push({
      name: commitsName,
      ok: false,
      detail: d ? `no order completed in the measured window` : "the database counters were not read",
    });
  }
  // The yardstick is the health scenario's bare side; without it (a --only run) there is no gate,
  // and CI requires the health scenario anyway.
  const bare = report.scenarios.find((s) => s.name === "health");
  if (bare?.kind === "pair") {
    const barePerRequest = bare.bare.process.cpuUsPerRequest;
    const ratio = Math.round(((create.cpuMsPerRequest ?? Number.NaN) * 1000) / barePerRequest);
    gates.push({
      name: `order-create: CPU per order <= ${ceiling} bare fastify requests`,
      ok: Number.isFinite(ratio) && ratio <= ceiling,
      detail: `${Number.isFinite(ratio) ? ratio : "not measured"}: ${create.cpuMsPerRequest ?? "?"} ms per order (four services) / ${barePerRequest} µs per bare /health request`,
    });
  }
  return gates;
}

/**
 * The CI gates, as a pure function of a report: every required scenario ran; zero errors and zero
 * non-2xx (non-OK) answers everywhere; the consistency check passed; each kit/bare ratio is at or
 * above its floor. One GateResult per check, each saying what it saw.
 */
export function evaluateGates(
  report: Pick<BenchReport, "scenarios" | "stack" | "failures"> & Partial<Pick<BenchReport, "restart">>,
  options: GateOptions = {},
): GateResult[] {
  const floors = options.ratioFloors ?? CI_RATIO_FLOORS;
  const required = options.requiredScenarios ?? CI_REQUIRED_SCENARIOS;
  const gates: GateResult[] = [];
  const byName = new Map(report.scenarios.map((s) => [s.name, s]));
  for (const failure of report.failures)
    gates.push({ name: "run: no scenario crashed", ok: false, detail: failure });

  for (const name of required) {
    if (!byName.has(name)) {
      const why = report.stack?.skipped ? ` (${report.stack.skipped})` : "";
      gates.push({ name: `${name}: ran`, ok: false, detail: `scenario did not run${why}` });
    }
  }

  for (const s of report.scenarios) {
    const sides =
      s.kind === "pair"
        ? [["kit", s.kit.stats] as const, ["bare", s.bare.stats] as const]
        : [["", s.stats] as const];
    for (const [side, stats] of sides) {
      const label = side ? `${s.name} (${side})` : s.name;
      const ok = stats.errors === 0 && stats.non2xx === 0 && stats.requests > 0;
      gates.push({
        name: `${label}: zero errors`,
        ok,
        detail:
          stats.requests === 0
            ? "no request completed"
            : `${stats.requests} requests, ${stats.errors} errors, ${stats.non2xx} non-2xx/non-OK${ok ? "" : ` ${JSON.stringify(stats.statuses)}`}`,
      });
    }
    if (s.kind === "pair") {
      const floor = floors[s.name];
      if (floor !== undefined) {
        // Without /proc (not Linux) there is no CPU ratio: fall back to req/s and say so.
        const cpu = typeof s.cpuRatio === "number" && Number.isFinite(s.cpuRatio);
        const measured = cpu ? s.cpuRatio : s.ratio;
        gates.push({
          name: `${s.name}: kit/bare CPU ratio >= ${floor}`,
          ok: Number.isFinite(measured) && measured >= floor,
          detail: cpu
            ? `CPU ratio ${s.cpuRatio} (rounds ${s.roundCpuRatios.join(", ")}); req/s ratio ${s.ratio} (rounds ${s.roundRatios.join(", ")}), not gated`
            : `no CPU data (not Linux?): req/s ratio ${s.ratio} (rounds ${s.roundRatios.join(", ")}) gated instead`,
        });
      }
    }
  }

  gates.push(...costGates(report, options));
  gates.push(...restartGates(report, options));

  const embedded = report.stack?.embedded;
  if (embedded && !embedded.skipped) {
    const c = embedded.consistency;
    gates.push({
      name: "embedded: orders, stock, invoices and shipments agree",
      ok: c?.ok === true,
      detail: c ? (c.ok ? `${c.counts.orders} orders` : c.problems.join("; ")) : "the check did not run",
    });
  }

  if (report.stack && !report.stack.skipped) {
    const c = report.stack.consistency;
    gates.push({
      name: "consistency: orders, stock, invoices and shipments agree",
      ok: c?.ok === true,
      detail: c
        ? c.ok
          ? `${c.counts.orders} orders (${JSON.stringify(c.counts.byStatus)}), ${c.counts.invoices} invoices, ${c.counts.shipments} shipments, ${c.counts.skusChecked} SKUs`
          : c.problems.join("; ")
        : "the check did not run",
    });
  }
  return gates;
}

/**
 * What we are chasing (bench/README.md; the order path's numbers are issue #11's); a full run
 * reports each as met or missed, and by how much.
 */
export const TARGETS = {
  healthRatio: 0.9,
  grpcRatio: 0.85,
  orderRps: 500,
  orderP99Ms: 50,
  /** order-create orders/s ÷ pgbench -N tps measured in the same run. */
  pgbenchShare: 0.075,
  oneAtATimeP50Ms: 10,
  hotRps: 300,
  cpuMsPerOrder: 3,
  embeddedRps: 150,
  /** order-create-seeded may be at most this much slower than order-create. */
  seededSlowdown: 0.1,
  idleRssMb: 80,
  readyMs: 1000,
  /** Issue #12: a service's idle RSS over the bare framework's, and restart to ready on a migrated database. */
  idleRssOverBareMb: 30,
  restartReadyMs: 400,
} as const;

const pct = (measured: number, target: number) =>
  `${measured >= target ? "+" : ""}${Math.round((measured / target - 1) * 100)} %`;

const round2 = (n: number) => Math.round(n * 100) / 100;

export function evaluateTargets(
  report: Pick<BenchReport, "scenarios" | "stack" | "pgbench"> & Partial<Pick<BenchReport, "restart">>,
): TargetResult[] {
  const results: TargetResult[] = [];
  const restart = report.restart;
  if (restart) {
    const bare = Math.max(restart.bareFastify.idleRssMb, restart.bareGrpc.idleRssMb);
    const over = Math.round((restart.kit.idleRssMb - bare) * 10) / 10;
    results.push({
      name: `${restart.service}: idle RSS over bare (larger of fastify, grpc-js)`,
      target: `<= ${TARGETS.idleRssOverBareMb} MB`,
      measured: `${over} MB (${restart.kit.idleRssMb} - ${bare})`,
      met: over <= TARGETS.idleRssOverBareMb,
      gap: over <= TARGETS.idleRssOverBareMb ? "" : `+${Math.round(over - TARGETS.idleRssOverBareMb)} MB`,
    });
    results.push({
      name: `${restart.service}: restart to ready, database migrated`,
      target: `<= ${TARGETS.restartReadyMs} ms`,
      measured: `${restart.kit.readyMs} ms (${restart.readyRatioFastify}x bare fastify ${restart.bareFastify.readyMs} ms)`,
      met: restart.kit.readyMs <= TARGETS.restartReadyMs,
      gap:
        restart.kit.readyMs <= TARGETS.restartReadyMs
          ? ""
          : `+${Math.round(restart.kit.readyMs - TARGETS.restartReadyMs)} ms`,
    });
  }
  const byName = new Map(report.scenarios.map((s) => [s.name, s]));
  for (const [name, target] of [
    ["health", TARGETS.healthRatio],
    ["grpc", TARGETS.grpcRatio],
  ] as const) {
    const s = byName.get(name);
    if (s?.kind !== "pair") continue;
    results.push({
      name: `${name}: kit/bare throughput`,
      target: `>= ${target}`,
      measured: String(s.ratio),
      met: s.ratio >= target,
      gap: pct(s.ratio, target),
    });
  }
  const create = byName.get("order-create");
  if (create?.kind === "stack") {
    const { rps, latencyMs, errors, non2xx } = create.stats;
    results.push({
      name: "order-create: orders/s",
      target: `>= ${TARGETS.orderRps}`,
      measured: String(Math.round(rps)),
      met: rps >= TARGETS.orderRps,
      gap: pct(rps, TARGETS.orderRps),
    });
    results.push({
      name: "order-create: p99",
      target: `< ${TARGETS.orderP99Ms} ms`,
      measured: `${latencyMs.p99} ms`,
      met: latencyMs.p99 < TARGETS.orderP99Ms,
      gap: latencyMs.p99 < TARGETS.orderP99Ms ? "" : `+${Math.round(latencyMs.p99 - TARGETS.orderP99Ms)} ms`,
    });
    if (create.cpuMsPerRequest !== undefined)
      results.push({
        name: "order-create: CPU per order, four services",
        target: `<= ${TARGETS.cpuMsPerOrder} ms`,
        measured: `${create.cpuMsPerRequest} ms`,
        met: create.cpuMsPerRequest <= TARGETS.cpuMsPerOrder,
        gap:
          create.cpuMsPerRequest <= TARGETS.cpuMsPerOrder
            ? ""
            : `+${round2(create.cpuMsPerRequest - TARGETS.cpuMsPerOrder)} ms`,
      });
    const tps = report.pgbench?.tps;
    if (tps !== undefined && Number.isFinite(tps) && tps > 0) {
      const share = Math.round((rps / tps) * 1000) / 1000;
      results.push({
        name: "order-create: orders/s ÷ pgbench -N tps",
        target: `>= ${TARGETS.pgbenchShare}`,
        measured: `${share} (${Math.round(rps)} / ${Math.round(tps)})`,
        met: share >= TARGETS.pgbenchShare,
        gap: pct(share, TARGETS.pgbenchShare),
      });
    }
    results.push({
      name: "order-create: errors",
      target: "0",
      measured: String(errors + non2xx),
      met: errors + non2xx === 0,
      gap: "",
    });
  }
  const one = byName.get("order-create-1");
  if (one?.kind === "stack")
    results.push({
      name: "one order at a time: p50",
      target: `<= ${TARGETS.oneAtATimeP50Ms} ms`,
      measured: `${one.stats.latencyMs.p50} ms`,
      met: one.stats.latencyMs.p50 <= TARGETS.oneAtATimeP50Ms,
      gap:
        one.stats.latencyMs.p50 <= TARGETS.oneAtATimeP50Ms
          ? ""
          : `+${round2(one.stats.latencyMs.p50 - TARGETS.oneAtATimeP50Ms)} ms`,
    });
  const hot = byName.get("order-create-hot");
  if (hot?.kind === "stack")
    results.push({
      name: "hot SKU: orders/s",
      target: `>= ${TARGETS.hotRps}`,
      measured: String(Math.round(hot.stats.rps)),
      met: hot.stats.rps >= TARGETS.hotRps,
      gap: pct(hot.stats.rps, TARGETS.hotRps),
    });
  const hotCount = report.stack?.consistency?.counts.hotSku;
  if (hot?.kind === "stack" && hotCount) {
    const ok = hotCount.reserved === hotCount.confirmedQuantity && hotCount.reserved <= hotCount.onHand;
    results.push({
      name: "hot SKU: no oversell",
      target: "reserved = confirmed quantity <= on hand",
      measured: `${hotCount.reserved} reserved, ${hotCount.confirmedQuantity} confirmed, ${hotCount.onHand} on hand`,
      met: ok,
      gap: ok ? "" : `${hotCount.reserved - hotCount.confirmedQuantity} units`,
    });
  }
  const embedded = byName.get("order-create-embedded");
  if (embedded?.kind === "stack")
    results.push({
      name: "embedded default (PGlite): orders/s",
      target: `>= ${TARGETS.embeddedRps}`,
      measured: String(Math.round(embedded.stats.rps)),
      met: embedded.stats.rps >= TARGETS.embeddedRps,
      gap: pct(embedded.stats.rps, TARGETS.embeddedRps),
    });
  const seeded = byName.get("order-create-seeded");
  if (seeded?.kind === "stack" && create?.kind === "stack" && create.stats.rps > 0) {
    const ratio = Math.round((seeded.stats.rps / create.stats.rps) * 100) / 100;
    results.push({
      name: `with ${report.stack?.seeded?.orders.toLocaleString("en-US") ?? "?"} orders seeded: orders/s vs empty`,
      target: `>= ${1 - TARGETS.seededSlowdown}×`,
      // CPU and commits per order beside it: they do not drift with the machine's load between the two runs.
      measured: `${ratio}× (${Math.round(seeded.stats.rps)} vs ${Math.round(create.stats.rps)})${seeded.cpuMsPerRequest !== undefined && create.cpuMsPerRequest !== undefined ? `; CPU/order ${seeded.cpuMsPerRequest} vs ${create.cpuMsPerRequest} ms` : ""}${seeded.database && create.database ? `; commits/order ${seeded.database.total.commitsPerOrder} vs ${create.database.total.commitsPerOrder}` : ""}`,
      met: ratio >= 1 - TARGETS.seededSlowdown,
      gap: pct(ratio, 1 - TARGETS.seededSlowdown),
    });
  }
  const stack = report.stack;
  if (stack?.embedded?.consistency)
    results.push({
      name: "embedded: consistency after the run",
      target: "ok",
      measured: stack.embedded.consistency.ok
        ? "ok"
        : `${stack.embedded.consistency.problems.length} problems`,
      met: stack.embedded.consistency.ok,
      gap: "",
    });
  if (stack && !stack.skipped) {
    if (stack.consistency)
      results.push({
        name: "consistency after the run",
        target: "ok",
        measured: stack.consistency.ok ? "ok" : `${stack.consistency.problems.length} problems`,
        met: stack.consistency.ok,
        gap: "",
      });
    for (const s of stack.startup) {
      results.push({
        name: `${s.name}: idle RSS`,
        target: `< ${TARGETS.idleRssMb} MB`,
        measured: `${s.idleRssMb} MB`,
        met: s.idleRssMb < TARGETS.idleRssMb,
        gap: s.idleRssMb < TARGETS.idleRssMb ? "" : `+${Math.round(s.idleRssMb - TARGETS.idleRssMb)} MB`,
      });
      results.push({
        name: `${s.name}: ready after start`,
        target: `< ${TARGETS.readyMs} ms`,
        measured: `${s.readyMs} ms`,
        met: s.readyMs < TARGETS.readyMs,
        gap: s.readyMs < TARGETS.readyMs ? "" : `+${Math.round(s.readyMs - TARGETS.readyMs)} ms`,
      });
    }
  }
  return results;
}
