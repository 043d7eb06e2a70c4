/**
 * A small Dockerfile reader: enough of the syntax deploy/docker/Dockerfile uses (line continuations,
 * comments, stages, ARG/ENV, exec-form CMD and HEALTHCHECK, ${VAR} substitution) for tests to run
 * its steps outside Docker. It throws on what it does not understand rather than guessing.
 */
export interface Instruction {
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly name: string | undefined;
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** ARGs before the first FROM (usable in FROM lines, and in a stage once re-declared there). */
  readonly globalArgs: readonly Instruction[];
  readonly stages: readonly Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const first = lines[index]?.trim() ?? "";
    if (first === "" || first.startsWith("#")) continue;
    const start = index + 1;
    let joined = first;
    while (joined.endsWith("\\")) {
      joined = joined.slice(0, -1);
      index++;
      if (index >= lines.length) throw new Error(`Dockerfile:${start}: continuation runs past the end`);
      const next = lines[index]?.trim() ?? "";
      if (next.startsWith("#")) continue;
      joined += ` ${next}`;
    }
    const match = /^([A-Za-z]+)\s+(.*)$/s.exec(joined);
    if (!match?.[1] || match[2] === undefined)
      throw new Error(`Dockerfile:${start}: cannot read "${joined}"`);
    instructions.push({ keyword: match[1].toUpperCase(), args: match[2].trim(), line: start });
  }
  const globalArgs: Instruction[] = [];
  const stages: { name: string | undefined; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!from?.[1]) throw new Error(`Dockerfile:${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ name: from[2], base: from[1], instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== "ARG") {
        throw new Error(`Dockerfile:${instruction.line}: ${instruction.keyword} before the first FROM`);
      }
      globalArgs.push(instruction);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** `NAME` or `NAME=default` of an ARG instruction. */
export function argDeclaration(instruction: Instruction): { name: string; value: string | undefined } {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(instruction.args);
  if (!match?.[1]) throw new Error(`Dockerfile:${instruction.line}: cannot read ARG ${instruction.args}`);
  return { name: match[1], value: match[2] === undefined ? undefined : unquote(match[2]) };
}

/** `NAME=value` pairs of an ENV instruction (the `ENV NAME value` form is not used here). */
export function envDeclarations(instruction: Instruction): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of instruction.args.split(/\s+/)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(pair);
    if (!match?.[1] || match[2] === undefined) {
      throw new Error(`Dockerfile:${instruction.line}: cannot read ENV ${instruction.args}`);
    }
    result[match[1]] = unquote(match[2]);
  }
  return result;
}

/** Docker's ${VAR} / $VAR substitution (as in COPY, WORKDIR, FROM); unknown variables are an error. */
export function substitute(text: string, variables: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_all, braced, bare) => {
    const name = (braced ?? bare) as string;
    const value = variables[name];
    if (value === undefined) throw new Error(`Dockerfile variable ${name} has no value`);
    return value;
  });
}

/** The JSON array of an exec-form instruction (CMD, ENTRYPOINT, HEALTHCHECK ... CMD); undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith("[")) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === "string")) {
    throw new Error(`not an exec-form array of strings: ${args}`);
  }
  return parsed;
}

/** Flags (`--from=build`, `--interval=10s`) and the remaining words of an instruction. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const match = /^--([a-z-]+)=(\S+)\s+/.exec(rest);
    if (!match?.[1] || match[2] === undefined) break;
    flags[match[1]] = match[2];
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

function unquote(value: string): string {
  return /^".*"$/.test(value) || /^'.*'$/.test(value) ? value.slice(1, -1) : value;
}
