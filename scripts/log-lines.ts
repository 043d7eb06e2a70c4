import { styleText } from "node:util";

const LEVEL_COLOR: Record<string, Parameters<typeof styleText>[0]> = {
  fatal: "red",
  error: "red",
  warn: "yellow",
  info: "green",
  debug: "gray",
  trace: "gray",
};
const SERVICE_COLOR: Record<string, Parameters<typeof styleText>[0]> = {
  order: "cyan",
  inventory: "magenta",
  invoice: "blue",
  fulfillment: "yellow",
};
const HIDDEN = new Set(["level", "time", "msg", "service", "version", "instance", "pid", "hostname"]);

/** One JSON log line as a short human line, prefixed by its service. */
export function formatLogLine(service: string, line: string): string {
  const prefix = styleText(SERVICE_COLOR[service] ?? "white", `[${service.padEnd(11)}]`);
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${prefix} ${line}`;
  }
  const level = String(entry.level ?? "info");
  const time = typeof entry.time === "string" ? entry.time.slice(11, 19) : "";
  const extra = Object.entries(entry)
    .filter(([key]) => !HIDDEN.has(key))
    .map(([key, value]) => `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" ");
  return `${prefix} ${time} ${styleText(LEVEL_COLOR[level] ?? "white", level.padEnd(5))} ${String(entry.msg ?? "")}${extra ? ` ${styleText("gray", extra)}` : ""}`;
}
