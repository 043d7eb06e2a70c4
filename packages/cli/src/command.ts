import type { OrderlyClient } from "@orderly/client";
import type { Output } from "./output.ts";
import { UsageError } from "./usage-error.ts";

export interface FlagSpec {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
  /** Shown in help: `--line SKU:QTY`. */
  value?: string;
  description: string;
  required?: boolean;
}

export interface CommandContext {
  flags: Record<string, string | boolean | string[] | undefined>;
  args: string[];
  output: Output;
  /** Connects on first use, so `--help` and bad input never open a channel. */
  client(): OrderlyClient;
  /** The directory the user ran the command in (relative file arguments resolve against it). */
  cwd: string;
  /** Aborts on Ctrl-C (watch stops cleanly). */
  signal: AbortSignal;
}

export interface Command {
  /** `["orders", "create"]`. */
  path: string[];
  summary: string;
  /** Positional arguments, in order (`ID`). */
  args?: { name: string; description: string }[];
  flags?: Record<string, FlagSpec>;
  examples: string[];
  run(ctx: CommandContext): Promise<void>;
}

/** A flag given once, as a string; required ones fail naming the flag. */
export function stringFlag(ctx: CommandContext, name: string, command: Command): string | undefined {
  const value = ctx.flags[name];
  if (typeof value === "string") {
    if (value.trim() === "") throw new UsageError(`--${name} must not be empty`, command.path.join(" "));
    return value;
  }
  if (command.flags?.[name]?.required) throw new UsageError(`--${name} is required`, command.path.join(" "));
  return undefined;
}

export function requiredFlag(ctx: CommandContext, name: string, command: Command): string {
  const value = stringFlag(ctx, name, command);
  if (value === undefined) throw new UsageError(`--${name} is required`, command.path.join(" "));
  return value;
}

/** A flag naming one of `choices`, given in any case; the message lists them when it names another. */
export function choiceFlag<C extends string>(
  ctx: CommandContext,
  name: string,
  command: Command,
  choices: readonly C[],
): C | undefined {
  const value = stringFlag(ctx, name, command)?.toUpperCase();
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(
      `--${name} must be one of ${choices.join(", ")}, got "${value}"`,
      command.path.join(" "),
    );
  return value as C;
}

/** A whole number flag within bounds, named in the message when it isn't one. */
export function integerFlag(
  ctx: CommandContext,
  name: string,
  command: Command,
  bounds: { min: number; max: number },
): number | undefined {
  const raw = stringFlag(ctx, name, command);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^[+-]?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < bounds.min || n > bounds.max)
    throw new UsageError(
      `--${name} must be a whole number from ${bounds.min} to ${bounds.max}, got "${raw}"`,
      command.path.join(" "),
    );
  return n;
}

/** The positional argument at `index`, named after the command's args when missing. */
export function argument(ctx: CommandContext, index: number, command: Command): string {
  const value = ctx.args[index];
  const name = command.args?.[index]?.name ?? "argument";
  if (value === undefined || value.trim() === "")
    throw new UsageError(`${name} is required`, command.path.join(" "));
  return value;
}
