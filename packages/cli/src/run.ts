import { parseArgs } from "node:util";
import { createOrderlyClient, isOrderlyError, type OrderlyClient, type OrderlyError } from "@orderly/client";
import type { Command, CommandContext } from "./command.ts";
import { invoicesGet } from "./commands/invoices.ts";
import { itemsAdjust, itemsList } from "./commands/items.ts";
import { ordersCancel, ordersCreate, ordersGet, ordersList, ordersWatch } from "./commands/orders.ts";
import { shipmentsAdvance } from "./commands/shipments.ts";
import { ExitCode, exitCodeOf } from "./exit-codes.ts";
import { commandHelp, groupHelp, mainHelp } from "./help.ts";
import type { Output } from "./output.ts";
import { clientOptions, type Env } from "./settings.ts";
import { UsageError } from "./usage-error.ts";

export const COMMANDS: readonly Command[] = [
  ordersCreate,
  ordersGet,
  ordersList,
  ordersWatch,
  ordersCancel,
  itemsList,
  itemsAdjust,
  shipmentsAdvance,
  invoicesGet,
];

export interface RunIo {
  env: Env;
  /** Where the CLI runs (the data directory is found from here). */
  cwd: string;
  /** Where the user typed the command (relative --pdf paths resolve here). */
  userCwd?: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour only when stdout is a terminal (and NO_COLOR is unset). */
  isTty: boolean;
  signal?: AbortSignal;
}

const GLOBAL_FLAGS = {
  output: { type: "string" },
  address: { type: "string" },
  token: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs one command line; returns the exit code. Never throws, never prints a stack trace. */
export async function run(argv: readonly string[], io: RunIo): Promise<number> {
  const wantsJson = argv.includes("--output=json") || argv.join(" ").includes("--output json");
  const output: Output = {
    json: wantsJson,
    color: io.isTty && io.env.NO_COLOR === undefined && !wantsJson,
    out: (text) => io.stdout(`${text}\n`),
    err: (text) => io.stderr(`${text}\n`),
  };
  let client: OrderlyClient | undefined;
  try {
    const words = argv.filter((a) => !a.startsWith("-"));
    const command = COMMANDS.find((c) => c.path.every((p, i) => words[i] === p));
    if (!command) {
      const group = words[0];
      if (group !== undefined && COMMANDS.some((c) => c.path[0] === group)) {
        if (words[1] === undefined || argv.includes("--help") || argv.includes("-h")) {
          output.out(groupHelp(group, COMMANDS));
          return words[1] === undefined && !argv.includes("--help") && !argv.includes("-h")
            ? ExitCode.BAD_INPUT
            : ExitCode.OK;
        }
        throw new UsageError(`unknown command "${group} ${words[1]}"; run \`orderly ${group} --help\``);
      }
      if (group === undefined || argv.includes("--help") || argv.includes("-h")) {
        output.out(mainHelp(COMMANDS));
        return group === undefined && !argv.includes("--help") && !argv.includes("-h")
          ? ExitCode.BAD_INPUT
          : ExitCode.OK;
      }
      throw new UsageError(`unknown command "${group}"; run \`orderly --help\``);
    }
    const parsed = parse(command, argv);
    if (parsed.values.help === true) {
      output.out(commandHelp(command));
      return ExitCode.OK;
    }
    const format = parsed.values.output ?? "table";
    if (format !== "table" && format !== "json")
      throw new UsageError(`--output must be table or json, got "${String(format)}"`, command.path.join(" "));
    output.json = format === "json";
    output.color = output.color && !output.json;
    const ctx: CommandContext = {
      flags: parsed.values as CommandContext["flags"],
      args: parsed.positionals.slice(command.path.length),
      output,
      cwd: io.userCwd ?? io.cwd,
      signal: io.signal ?? new AbortController().signal,
      client: () => {
        client ??= createOrderlyClient(
          clientOptions(
            { address: stringValue(parsed.values.address), token: stringValue(parsed.values.token) },
            io.env,
            io.cwd,
          ),
        );
        return client;
      },
    };
    const expected = command.args?.length ?? 0;
    if (ctx.args.length > expected)
      throw new UsageError(`unexpected argument "${ctx.args[expected]}"`, command.path.join(" "));
    await command.run.call(command, ctx);
    return ExitCode.OK;
  } catch (error) {
    if (io.signal?.aborted && isOrderlyError(error) && error.code === "CANCELLED") return ExitCode.OK;
    report(output, error);
    return exitCodeOf(error);
  } finally {
    client?.close();
  }
}

function parse(command: Command, argv: readonly string[]) {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }> = {
    ...GLOBAL_FLAGS,
  };
  for (const [name, f] of Object.entries(command.flags ?? {}))
    options[name] = {
      type: f.type,
      ...(f.multiple ? { multiple: true } : {}),
      ...(f.short ? { short: f.short } : {}),
    };
  try {
    return parseArgs({
      args: joinNegativeValues(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new UsageError(
      `${message.replace(/\. To specify a positional argument.*$/, "")}`,
      command.path.join(" "),
    );
  }
}

/**
 * `--delta -2` -> `--delta=-2`: parseArgs refuses a value starting with "-" as ambiguous, but a
 * negative number after a string flag can only be its value.
 */
function joinNegativeValues(argv: readonly string[], options: Record<string, { type: string }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? "";
    const next = argv[i + 1];
    const name = token.startsWith("--") ? token.slice(2) : undefined;
    if (name && options[name]?.type === "string" && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

function stringValue(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

const FLAG_OF_FIELD: [RegExp, string][] = [
  [/^customer_id$/, "--customer"],
  [/^lines(\[\d+\])?(\.|$)/, "--line"],
  [/^shipping_address\.name$/, "--name"],
  [/^shipping_address\.line1$/, "--line1"],
  [/^shipping_address\.line2$/, "--line2"],
  [/^shipping_address\.city$/, "--city"],
  [/^shipping_address\.postal_code$/, "--postal-code"],
  [/^shipping_address\.country_code$/, "--country"],
  [/^idempotency_key$/, "--idempotency-key"],
  [/^delta$/, "--delta"],
  [/^reason$/, "--reason"],
  [/^to_status$/, "--to"],
  [/^page_size$/, "--limit"],
  [/^id$/, "the ID argument"],
  [/^sku$/, "the SKU argument"],
];

/** `lines[0].quantity` -> `--line (line 1) quantity`, so a server refusal names the flag too. */
export function flagOfField(field: string): string {
  for (const [pattern, flag] of FLAG_OF_FIELD) {
    if (!pattern.test(field)) continue;
    const line = /^lines\[(\d+)\]\.?(.*)$/.exec(field);
    if (line) return `${flag} (line ${Number(line[1]) + 1})${line[2] ? ` ${line[2]}` : ""}`;
    return flag;
  }
  return field;
}

function report(output: Output, error: unknown): void {
  if (error instanceof UsageError) {
    output.err(`error: ${error.message}`);
    if (error.command) output.err(`run \`orderly ${error.command} --help\` for usage`);
    return;
  }
  if (isOrderlyError(error)) {
    if (output.json) {
      output.err(toErrorJson(error));
      return;
    }
    if (error.fieldViolations.length > 0) {
      for (const v of error.fieldViolations)
        output.err(`error: ${flagOfField(v.field)}: ${v.description || error.message}`);
    } else output.err(`error: ${error.message} (${error.code}, ${error.reason})`);
    if (error.code === "UNAVAILABLE")
      output.err("is the stack running? start it with `pnpm start`, or pass --address");
    return;
  }
  output.err(`error: ${error instanceof Error ? error.message : String(error)}`);
}

function toErrorJson(error: OrderlyError): string {
  return JSON.stringify({
    error: {
      code: error.code,
      reason: error.reason,
      message: error.message,
      fieldViolations: error.fieldViolations,
    },
  });
}
