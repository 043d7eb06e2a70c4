// Consul reads every duration ("10s", "1m30s", "250ms") with Go's time.ParseDuration; so do we,
// so that a value the real agent rejects is rejected here too.
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds for a Go duration string, or undefined when Go would reject it. */
export function parseGoDuration(text: string): number | undefined {
  let rest = text.trim();
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    sign = rest.startsWith("-") ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return undefined;
  let total = 0;
  part.lastIndex = 0;
  while (part.lastIndex < rest.length) {
    const start = part.lastIndex;
    const match = part.exec(rest);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * (unitMs[match[2] as string] as number);
  }
  return sign * total;
}
