import type { BenchReport, EventsResult, LoadStats, RestartSide, ScenarioResult } from "./result.ts";

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");

function statsCells(s: LoadStats): string[] {
  return [
    int(s.rps),
    fmt(s.latencyMs.p50),
    fmt(s.latencyMs.p90),
    fmt(s.latencyMs.p99),
    fmt(s.latencyMs.max, 1),
    String(s.errors),
    String(s.non2xx),
  ];
}

function rows(s: ScenarioResult): string[][] {
  if (s.kind === "pair") {
    return [
      [
        s.name,
        "kit",
        String(s.connections),
        ...statsCells(s.kit.stats),
        fmt(s.kit.process.peakRssMb, 0),
        `${fmt(s.kit.process.cpuCores)} · gen ${fmt(s.kit.loadGeneratorCores)}`,
        fmt(s.kit.process.cpuUsPerRequest, 1),
      ],
      [
        s.name,
        "bare",
        String(s.connections),
        ...statsCells(s.bare.stats),
        fmt(s.bare.process.peakRssMb, 0),
        `${fmt(s.bare.process.cpuCores)} · gen ${fmt(s.bare.loadGeneratorCores)}`,
        fmt(s.bare.process.cpuUsPerRequest, 1),
      ],
      [
        s.name,
        `**kit/bare ${fmt(s.ratio)}**`,
        "",
        `rounds ${s.roundRatios.map((r) => fmt(r)).join(" ")}`,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        `**by CPU ${fmt(s.cpuRatio)}** (rounds ${s.roundCpuRatios.map((r) => fmt(r)).join(" ")})`,
      ],
    ];
  }
  const services = s.processes.filter((p) => p.name !== GENERATOR);
  const generator = s.processes.find((p) => p.name === GENERATOR);
  const rss = services.map((p) => `${abbreviation(p.name)} ${fmt(p.peakRssMb, 0)}`).join(" · ");
  const cpu = [...services, ...(generator ? [generator] : [])]
    .map((p) => `${abbreviation(p.name)} ${fmt(p.cpuCores)}`)
    .join(" · ");
  const cpuSeconds = services.reduce((sum, p) => sum + p.cpuSeconds, 0);
  const perOrder = s.stats.requests > 0 ? fmt((cpuSeconds * 1e6) / s.stats.requests, 0) : "–";
  return [
    [s.name, "stack", String(s.connections), ...statsCells(s.stats), rss, cpu, `${perOrder} (four services)`],
  ];
}

const GENERATOR = "load generator";
const ABBREVIATIONS: Record<string, string> = {
  order: "ord",
  inventory: "inv",
  invoice: "ivc",
  fulfillment: "ful",
  [GENERATOR]: "gen",
};
const abbreviation = (name: string) => ABBREVIATIONS[name] ?? name;

function table(header: string[], body: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** The report as markdown: machine, results table, startup table, consistency, gates. */
export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const out: string[] = [];
  out.push(`### Bench ${report.mode} run, ${report.startedAt}`);
  out.push("");
  out.push(
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.platform}; load average (1/5/15 min) ${m.loadAtStart.join(" / ")} at start, ${m.loadAtEnd.join(" / ")} at end. Node ${m.node}. Command: \`${report.command}\`.`,
  );
  if (report.cpuProfileDir)
    out.push(
      "",
      `**Profiled run** (\`--cpu-prof\`, profiles in ${report.cpuProfileDir}): numbers include profiler overhead.`,
    );
  out.push("");
  out.push(
    table(
      [
        "scenario",
        "side",
        "conns",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "errors",
        "non-2xx",
        "peak RSS MB",
        "CPU cores",
        "CPU µs/req",
      ],
      report.scenarios.flatMap(rows),
    ),
  );
  out.push("");
  out.push(
    'req/s = completed requests / measured seconds (pairs: summed over rounds). Pair percentiles are the median of the rounds, max the max; kit/bare = median of the per-round throughput ratios; "by CPU" = bare CPU µs per request / kit CPU µs per request, median of rounds (the same comparison in server CPU time, which other load on the machine hardly moves). CPU cores = process CPU time / wall time during the load (1.00 = one core); CPU µs/req = server CPU time per completed request. gen = the load generator (autocannon or the gRPC client, one process). Stack rows list each service: ord = order, inv = inventory, ivc = invoice, ful = fulfillment.',
  );
  const timed = report.scenarios.filter((s) => s.kind === "stack" && s.serverTimes.length > 0);
  if (timed.length > 0) {
    out.push("");
    out.push("Where the time goes (each service's own histograms over the measured run: calls, mean ms):");
    out.push("");
    const series = [
      ...new Set(
        timed.flatMap((s) =>
          (s.kind === "stack" ? s.serverTimes : []).map((t) => `${t.service}: ${t.series}`),
        ),
      ),
    ].sort();
    out.push(
      table(
        ["service: series", ...timed.map((s) => s.name)],
        series.map((name) => [
          name,
          ...timed.map((s) => {
            const t =
              s.kind === "stack"
                ? s.serverTimes.find((x) => `${x.service}: ${x.series}` === name)
                : undefined;
            return t ? `${t.calls} × ${fmt(t.meanMs)}` : "";
          }),
        ]),
      ),
    );
  }
  out.push(...restartSection(report));
  out.push(...perOrderSection(report));
  if (report.events) out.push(...eventsSection(report.events));
  const stack = report.stack;
  if (stack) {
    out.push("");
    if (stack.skipped) {
      out.push(`Full-stack scenarios skipped: ${stack.skipped}.`);
    } else {
      out.push(
        `Full stack on ${stack.databaseVersion}; startup (fresh database, migrations included) and idle RSS before any load:`,
      );
      out.push("");
      const pairs = report.scenarios.filter((s) => s.kind === "pair");
      out.push(
        table(
          ["process", "ready ms", "idle RSS MB"],
          [
            ...stack.startup.map((s) => [s.name, int(s.readyMs), fmt(s.idleRssMb, 1)]),
            ...pairs.flatMap((p) => [
              [`${p.name} kit target (no db)`, int(p.kit.process.readyMs), fmt(p.kit.process.idleRssMb, 1)],
              [`${p.name} bare target`, int(p.bare.process.readyMs), fmt(p.bare.process.idleRssMb, 1)],
            ]),
          ],
        ),
      );
      const c = stack.consistency;
      out.push("");
      if (c) {
        out.push(
          `Consistency: **${c.ok ? "OK" : "FAILED"}** — ${c.counts.acknowledged} acknowledged, ${c.counts.orders} orders ${JSON.stringify(c.counts.byStatus)}, ${c.counts.invoices} invoices, ${c.counts.shipments} shipments, ${c.counts.skusChecked} SKUs; ${stack.replayed} unanswered requests replayed with their idempotency key first.`,
        );
        for (const p of c.problems) out.push(`- ${p}`);
        const hot = c.counts.hotSku;
        if (hot && hot.confirmedQuantity > 0)
          out.push(
            "",
            `Hot SKU after the run: ${int(hot.reserved)} reserved for ${int(hot.confirmedQuantity)} units in CONFIRMED orders, ${int(hot.onHand)} on hand: ${hot.reserved === hot.confirmedQuantity && hot.reserved <= hot.onHand ? "no oversell" : "**MISMATCH**"}.`,
          );
      }
    }
    if (stack.seeded)
      out.push(
        "",
        `Pre-seeded scenario: ${stack.seeded.orders.toLocaleString("en-US")} finished orders (with their saga, reservation, invoice and shipment rows) written by SQL into the four databases in ${stack.seeded.seconds} s, then VACUUM ANALYZE, before order-create-seeded; the consistency check leaves the seeded rows out.`,
      );
    const e = stack.embedded;
    if (e) {
      out.push("");
      if (e.skipped) out.push(`Embedded default not run: ${e.skipped}.`);
      else
        out.push(
          `Embedded default (PGlite in each service, OTEL_SDK_DISABLED=true, as \`pnpm start\`): ready ${e.startup.map((s) => `${abbreviation(s.name)} ${int(s.readyMs)} ms`).join(" · ")}; consistency **${e.consistency?.ok ? "OK" : "FAILED"}**${e.consistency ? ` — ${e.consistency.counts.orders} orders ${JSON.stringify(e.consistency.counts.byStatus)}, ${e.replayed} replayed` : ""}.`,
          ...(e.consistency?.problems ?? []).map((p) => `- ${p}`),
        );
    }
  }
  if (report.targets.length > 0) {
    out.push("");
    out.push("Targets:");
    out.push("");
    out.push(
      table(
        ["target", "wanted", "measured", "met", "gap"],
        report.targets.map((t) => [t.name, t.target, t.measured, t.met ? "yes" : "**no**", t.gap]),
      ),
    );
  }
  for (const f of report.failures) out.push("", `**Failed:** ${f.split("\n")[0]}`);
  if (report.gates.length > 0) {
    out.push("");
    out.push("Gates:");
    out.push("");
    for (const g of report.gates) out.push(`- ${g.ok ? "PASS" : "**FAIL**"} ${g.name} — ${g.detail}`);
  }
  return `${out.join("\n")}\n`;
}

const SERVICE_ORDER = ["inventory", "invoice", "fulfillment", "order"];

/** Hops: gRPC calls the services sent to each other during the run (client-side histograms), per request. */
function rpcCallsPerRequest(s: ScenarioResult): string {
  if (s.kind !== "stack" || s.stats.requests === 0) return "–";
  const calls = s.serverTimes
    .filter((t) => t.series.startsWith("rpc client "))
    .reduce((sum, t) => sum + t.calls, 0);
  return fmt(calls / s.stats.requests, 1);
}

/** Cost per order of every stack scenario: CPU, commits and rows per database, event-loop delay. */
export function perOrderSection(report: Pick<BenchReport, "scenarios" | "pgbench">): string[] {
  const stacks = report.scenarios.filter((s) => s.kind === "stack");
  if (stacks.length === 0) return [];
  const out: string[] = ["", "Cost per order (per request for order-get):", ""];
  const byService = <T extends { service: string }>(list: T[] | undefined, cell: (x: T) => string) =>
    SERVICE_ORDER.map((name) => {
      const x = list?.find((e) => e.service === name);
      return x ? `${abbreviation(name)} ${cell(x)}` : "";
    })
      .filter(Boolean)
      .join(" · ") || "–";
  out.push(
    table(
      [
        "scenario",
        "conns",
        "req/s",
        "p50 ms",
        "p99 ms",
        "CPU ms/order (4 services)",
        "commits/order",
        "commits/order per database",
        "rows ins / upd / del per order",
        "statements/order",
        "gRPC calls/order",
        "event-loop p99 ms (max)",
      ],
      stacks.map((s) => {
        if (s.kind !== "stack") return [];
        const d = s.database;
        return [
          s.name,
          String(s.connections),
          int(s.stats.rps),
          fmt(s.stats.latencyMs.p50),
          fmt(s.stats.latencyMs.p99),
          s.cpuMsPerRequest !== undefined ? fmt(s.cpuMsPerRequest) : "–",
          d ? `**${fmt(d.total.commitsPerOrder)}**` : "–",
          d ? byService(d.services, (x) => fmt(x.commitsPerOrder)) : "–",
          d
            ? `${fmt(d.total.insertedPerOrder, 1)} / ${fmt(d.total.updatedPerOrder, 1)} / ${fmt(d.total.deletedPerOrder, 1)}`
            : "–",
          d?.total.statementsPerOrder !== undefined ? fmt(d.total.statementsPerOrder) : "–",
          rpcCallsPerRequest(s),
          byService(
            s.eventLoop,
            (x) =>
              `${x.eventLoopP99Ms !== undefined ? fmt(x.eventLoopP99Ms, 1) : "–"} (${x.eventLoopMaxMs !== undefined ? fmt(x.eventLoopMaxMs, 0) : "–"})`,
          ),
        ];
      }),
    ),
  );
  const note = stacks.map((s) => (s.kind === "stack" ? s.database?.statementsNote : undefined)).find(Boolean);
  out.push(
    "",
    `Commits and rows: pg_stat_database deltas of each service's database between two snapshots taken inside the load (after 20 % of it and 10 % before its end), divided by the orders answered in between; every transaction counts, read-only ones included. Statements: ${note ?? "not counted (no PostgreSQL)"}. CPU: the four services' CPU time (/proc) over the whole run divided by the completed requests. gRPC calls: every call one service sent another (client-side histograms), per completed request. Event-loop delay: prom-client's nodejs_eventloop_lag_p99/max_seconds scraped right after the run (the histogram restarts at every scrape).`,
  );
  if (report.pgbench) {
    const p = report.pgbench;
    const create = stacks.find((s) => s.name === "order-create");
    out.push(
      "",
      p.skipped
        ? `pgbench: not run (${p.skipped}).`
        : `pgbench (\`${p.command}\`, same server, same run): **${int(p.tps)} tps**${create ? `; order-create ${int(create.stats.rps)} orders/s = **${fmt(create.stats.rps / p.tps, 3)}** of it` : ""}.`,
    );
  }
  return out;
}

/** The event scenario: throughput and lag of the whole path, saturated and paced, against NATS's own publish rate. */
export function eventsSection(e: EventsResult): string[] {
  if (e.skipped) return ["", `Event scenario not run: ${e.skipped}.`];
  const cpu = (phase: EventsResult["saturated"]) =>
    phase.processes.map((p) => `${p.name} ${fmt(p.cpuCores)}`).join(" · ") || "–";
  const phaseRow = (name: string, phase: EventsResult["saturated"]) => [
    name,
    int(phase.eventsPerSecond),
    phase.targetPerSecond === undefined ? "–" : int(phase.targetPerSecond),
    fmt(phase.lagMs.p50),
    fmt(phase.lagMs.p90),
    fmt(phase.lagMs.p99),
    fmt(phase.lagMs.max, 1),
    int(phase.events),
    cpu(phase),
    fmt(phase.cpuMsPerEvent),
  ];
  const best = Math.max(...e.rawPublish.map((r) => r.perSecond));
  return [
    "",
    `Events (recordEvent -> outbox relay -> JetStream -> durable consumer; ${e.database}, nats-server ${e.natsServer}, ${e.payloadBytes}-byte envelopes, ${e.writers} producer transactions at a time; lag = recorded -> handled):`,
    "",
    table(
      [
        "phase",
        "events/s",
        "paced at",
        "lag p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "events",
        "CPU cores",
        "bench CPU ms/event",
      ],
      [
        phaseRow(`saturated (≤ ${e.maxInFlight} queued)`, e.saturated),
        phaseRow("paced (½ of saturated)", e.paced),
      ],
    ),
    "",
    `NATS's own rate, same server, same run (JetStream publish of the same bytes, PubAck awaited): ${e.rawPublish
      .map((r) => `**${int(r.perSecond)}/s** with ${r.inFlight} in flight`)
      .join(
        ", ",
      )}; the event path reaches ${fmt(e.saturated.eventsPerSecond / best, 3)} of the best. ${e.duplicates} duplicate deliveries turned away by the inbox.`,
    "",
    `Each stage alone on a backlog (the others stopped): ${e.stages
      .map((s) => `${s.stage} **${int(s.perSecond)}/s**`)
      .join(", ")} (${e.stages[0]?.events ?? 0} events).`,
  ];
}

/** The restart scenario: a real service against bare fastify and grpc-js, medians and every round. */
function restartSection(report: BenchReport): string[] {
  const r = report.restart;
  if (!r) return [];
  const row = (name: string, side: RestartSide, ratio?: string) => [
    name,
    int(side.readyMs),
    side.readyMsRounds.map(int).join(" "),
    int(side.readyCpuMs),
    side.readyCpuMsRounds.map(int).join(" "),
    fmt(side.idleRssMb, 1),
    side.idleRssMbRounds.map((x) => fmt(x, 1)).join(" "),
    ratio ?? "",
  ];
  return [
    "",
    `Restart to ready (${r.service} on ${r.database}, database already migrated, compile cache warm) and idle RSS ${r.idleMs} ms after ready, ${r.rounds} rounds, medians:`,
    "",
    table(
      [
        "process",
        "ready ms",
        "rounds",
        "CPU ms to ready",
        "rounds",
        "idle RSS MB",
        "rounds",
        "ready vs bare",
      ],
      [
        row(r.service, r.kit, `${r.readyRatioFastify}x fastify · ${r.readyRatioGrpc}x grpc-js`),
        row("bare fastify", r.bareFastify),
        row("bare grpc-js", r.bareGrpc),
      ],
    ),
  ];
}
