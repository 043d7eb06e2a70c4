import type { Command } from "./command.ts";

export const GLOBAL_FLAGS_HELP = [
  ["--output table|json", "table (default) or JSON (one document; one per line for watch)"],
  [
    "--address HOST:PORT",
    "one gRPC address for every service (env ORDERLY_ADDRESS); default: the pnpm start stack",
  ],
  ["--token TOKEN", "bearer token (env ORDERLY_TOKEN; default: $ORDERLY_DATA_DIR/token when present)"],
  ["-h, --help", "this help"],
] as const;

const EXIT_CODES =
  "Exit codes: 0 ok, 1 failed, 2 bad input, 3 not found, 4 conflict with the current state, 5 unavailable.";

function columns(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n");
}

export function commandHelp(command: Command): string {
  const args = (command.args ?? []).map((a) => ` ${a.name}`).join("");
  const flags = Object.entries(command.flags ?? {});
  const synopsis = flags
    .map(([name, f]) => {
      const text = `--${name}${f.value ? ` ${f.value}` : ""}${f.multiple ? " …" : ""}`;
      return f.required ? text : `[${text}]`;
    })
    .join(" ");
  const sections = [
    `orderly ${command.path.join(" ")}${args}${synopsis ? ` ${synopsis}` : ""}`,
    "",
    command.summary,
  ];
  if (command.args?.length)
    sections.push("", "Arguments:", columns(command.args.map((a) => [a.name, a.description])));
  if (flags.length)
    sections.push(
      "",
      "Options:",
      columns(
        flags.map(([name, f]) => [
          `--${name}${f.value ? ` ${f.value}` : ""}`,
          f.description + (f.required ? " (required)" : ""),
        ]),
      ),
    );
  sections.push(
    "",
    "Global options:",
    columns(GLOBAL_FLAGS_HELP),
    "",
    "Examples:",
    ...command.examples.map((e) => `  ${e}`),
    "",
    EXIT_CODES,
  );
  return sections.join("\n");
}

export function groupHelp(group: string, commands: readonly Command[]): string {
  const mine = commands.filter((c) => c.path[0] === group);
  return [
    `orderly ${group} <command>`,
    "",
    "Commands:",
    columns(mine.map((c) => [c.path.join(" "), c.summary])),
    "",
    `Run \`orderly ${group} <command> --help\` for its options and examples.`,
  ].join("\n");
}

export function mainHelp(commands: readonly Command[]): string {
  return [
    "orderly: the Orderly command line (orders, items, shipments, invoices)",
    "",
    "Usage: pnpm orderly <group> <command> [arguments] [options]",
    "",
    "Commands:",
    columns(commands.map((c) => [c.path.join(" "), c.summary])),
    "",
    "Global options:",
    columns(GLOBAL_FLAGS_HELP),
    "",
    "By default the CLI talks to the stack `pnpm start` runs: 127.0.0.1, default ports + ORDERLY_PORT_OFFSET.",
    "ORDERLY_<ORDER|INVENTORY|INVOICE|FULFILLMENT>_ADDRESS and ORDERLY_INVOICE_URL (the PDF's HTTP API) override one service each.",
    "",
    "Examples:",
    "  pnpm orderly items list",
    '  pnpm orderly orders create --customer demo-customer --line MUG-BLUE:2 --name "Ada Lovelace" --line1 "12 Analytical St" --city London --postal-code "N1 9GU" --country GB',
    "  pnpm orderly orders watch <order id>",
    "  pnpm orderly orders create --help",
    "",
    EXIT_CODES,
  ].join("\n");
}
