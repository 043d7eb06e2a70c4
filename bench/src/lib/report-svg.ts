import type { BenchReport, LoadStats } from "./result.ts";

interface Row {
  label: string;
  stats: LoadStats;
  note: string;
  kit: boolean | undefined;
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** log10 scale from `min` to `max` (both powers of ten) onto [x0, x1]. */
function logScale(min: number, max: number, x0: number, x1: number) {
  const a = Math.log10(min);
  const b = Math.log10(max);
  return (v: number) => x0 + ((Math.log10(Math.max(min, Math.min(max, v))) - a) / (b - a)) * (x1 - x0);
}

const decadeAbove = (v: number) => 10 ** Math.ceil(Math.log10(Math.max(v, 1e-9)));
const decadeBelow = (v: number) => 10 ** Math.floor(Math.log10(Math.max(v, 1e-9)));
const short = (v: number) =>
  v >= 1000 ? `${v / 1000}k` : v >= 1 ? String(v) : String(Number(v.toPrecision(1)));

/**
 * A dependency-free SVG chart of a report: per scenario (and side), throughput on the left and
 * latency p50 / p90 / p99 on the right, both on log scales (so /health at 10k req/s and order
 * creation at a few hundred share an axis), with kit/bare ratios written beside the pairs.
 */
export function toSvg(report: BenchReport): string {
  const rows: Row[] = report.scenarios.flatMap((s): Row[] =>
    s.kind === "pair"
      ? [
          { label: `${s.name} · kit`, stats: s.kit.stats, note: `kit/bare ${s.ratio.toFixed(2)}`, kit: true },
          { label: `${s.name} · bare`, stats: s.bare.stats, note: "", kit: false },
        ]
      : [{ label: s.name, stats: s.stats, note: "", kit: undefined }],
  );
  const rowH = 34;
  const top = 70;
  const labelW = 170;
  const panelW = 360;
  const gap = 60;
  const width = labelW + panelW * 2 + gap + 30;
  const height = top + rows.length * rowH + 60;
  const tx0 = labelW;
  const tx1 = labelW + panelW;
  const lx0 = tx1 + gap;
  const lx1 = lx0 + panelW;

  const rpsMax = decadeAbove(Math.max(10, ...rows.map((r) => r.stats.rps)));
  const rpsMin = Math.min(10, decadeBelow(Math.min(...rows.map((r) => Math.max(1, r.stats.rps)))));
  const latMax = decadeAbove(Math.max(1, ...rows.map((r) => r.stats.latencyMs.p99)));
  const latMin = Math.min(
    0.1,
    decadeBelow(Math.min(...rows.map((r) => Math.max(0.01, r.stats.latencyMs.p50)))),
  );
  const xr = logScale(rpsMin, rpsMax, tx0, tx1);
  const xl = logScale(latMin, latMax, lx0, lx1);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(
    `<text x="12" y="22" font-size="15" font-weight="600">Orderly bench — ${esc(report.mode)} run ${esc(report.startedAt)}</text>`,
  );
  out.push(
    `<text x="12" y="40" fill="#555">${esc(`${report.machine.cpus} CPU, Node ${report.machine.node}, load ${report.machine.loadAtStart.join("/")} → ${report.machine.loadAtEnd.join("/")}`)}</text>`,
  );
  out.push(`<text x="${tx0}" y="${top - 12}" font-weight="600">Throughput, req/s (log scale)</text>`);
  out.push(
    `<text x="${lx0}" y="${top - 12}" font-weight="600">Latency, ms (log scale): <tspan fill="#b83c1f">■ p50</tspan> <tspan fill="#e8765a">■ p90</tspan> <tspan fill="#f4b6a6">■ p99</tspan></text>`,
  );

  const axisY = top + rows.length * rowH + 4;
  const grid = (x: (v: number) => number, min: number, max: number) => {
    for (let v = min; v <= max * 1.0001; v *= 10) {
      out.push(`<line x1="${r1(x(v))}" y1="${top - 4}" x2="${r1(x(v))}" y2="${axisY}" stroke="#e3e3e3"/>`);
      out.push(`<text x="${r1(x(v))}" y="${axisY + 16}" text-anchor="middle" fill="#555">${short(v)}</text>`);
    }
  };
  grid(xr, rpsMin, rpsMax);
  grid(xl, latMin, latMax);

  rows.forEach((row, i) => {
    const y = top + i * rowH;
    const color = row.kit === undefined ? "#6b4fbb" : row.kit ? "#1f77b4" : "#9aa5b1";
    if (i > 0 && !row.label.endsWith("· bare"))
      out.push(`<line x1="8" y1="${y - 2}" x2="${width - 8}" y2="${y - 2}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${labelW - 10}" y="${y + 18}" text-anchor="end">${esc(row.label)}</text>`);
    const w = Math.max(1, xr(Math.max(rpsMin, row.stats.rps)) - tx0);
    out.push(`<rect x="${tx0}" y="${y + 6}" width="${r1(w)}" height="18" fill="${color}"/>`);
    const value = `${Math.round(row.stats.rps).toLocaleString("en-US")}${row.note ? `  (${row.note})` : ""}`;
    // Outside the bar when it fits before the latency panel, else inside it, right-aligned in white.
    const fitsOutside = tx0 + w + 4 + value.length * 6.5 < lx0 - 8;
    out.push(
      fitsOutside
        ? `<text x="${r1(tx0 + w + 4)}" y="${y + 19}" fill="#222">${esc(value)}</text>`
        : `<text x="${r1(tx0 + w - 4)}" y="${y + 19}" fill="${row.kit === false ? "#111" : "#fff"}" text-anchor="end">${esc(value)}</text>`,
    );
    const { p50, p90, p99 } = row.stats.latencyMs;
    const bars: [number, string][] = [
      [p99, "#f4b6a6"],
      [p90, "#e8765a"],
      [p50, "#b83c1f"],
    ];
    for (const [v, c] of bars) {
      out.push(
        `<rect x="${lx0}" y="${y + 6}" width="${r1(Math.max(1, xl(v) - lx0))}" height="18" fill="${c}"/>`,
      );
    }
    out.push(
      `<text x="${r1(Math.min(lx1 - 4, xl(p99) + 4))}" y="${y + 19}" fill="#222"${xl(p99) + 4 > lx1 - 120 ? ' text-anchor="end"' : ""}>${esc(`${p50.toFixed(1)} / ${p90.toFixed(1)} / ${p99.toFixed(1)}`)}</text>`,
    );
  });
  out.push(
    `<text x="12" y="${height - 10}" fill="#777">blue: through the kit · grey: bare framework · purple: full stack (four services, ${esc(report.stack?.databaseVersion ?? "")})</text>`,
  );
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
