import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import {
  argDeclaration,
  envDeclarations,
  execForm,
  type Instruction,
  parseDockerfile,
  splitFlags,
  substitute,
} from "./dockerfile.ts";
import { dockerignoreFilter } from "./dockerignore.ts";
import { repoRoot } from "./repo.ts";

export const DOCKERFILE = "deploy/docker/Dockerfile";

/** What the final stage of the image says about running it, with container paths mapped to the host. */
export interface ImageLayout {
  /** The host folder standing for the container's `/`. */
  readonly root: string;
  /** The final stage's WORKDIR, on the host. */
  readonly workdir: string;
  /** ENV of the final stage. */
  readonly env: Readonly<Record<string, string>>;
  /** What the container runs: ENTRYPOINT then CMD (exec form). */
  readonly cmd: readonly string[];
  readonly healthcheck: readonly string[];
  readonly user: string | undefined;
  readonly stopSignal: string | undefined;
  /** Each RUN command as executed, for failure messages. */
  readonly ran: readonly string[];
  toHost(containerPath: string): string;
}

export interface BuildOptions {
  /** --build-arg values. */
  buildArgs: Readonly<Record<string, string>>;
  /** Empty host folder that becomes the image's `/`. */
  root: string;
  /** The pnpm on PATH; the image installs pnpm@PNPM_VERSION from the registry instead. */
  pnpmVersion: string;
}

/**
 * Builds the image's file system into `root` by executing deploy/docker/Dockerfile's own
 * instructions: COPY from the context (filtered by .dockerignore) and between stages, WORKDIR, ARG,
 * ENV, and every RUN line through `sh -c` with the stage's ARG/ENV values as its environment, as
 * the builder does. The one RUN line not executed is the global `npm install --global pnpm@...`:
 * instead the pnpm on PATH must be that version.
 */
export function buildImageLayout(options: BuildOptions): ImageLayout {
  const dockerfile = parseDockerfile(readFileSync(join(repoRoot, DOCKERFILE), "utf8"));
  const ignore = dockerignoreFilter(readFileSync(join(repoRoot, ".dockerignore"), "utf8"));
  const toHost = (containerPath: string) => join(options.root, posix.resolve("/", containerPath));
  const globals: Record<string, string | undefined> = {};
  for (const instruction of dockerfile.globalArgs) {
    const { name, value } = argDeclaration(instruction);
    globals[name] = options.buildArgs[name] ?? value;
  }
  const ran: string[] = [];
  let final: Omit<ImageLayout, "root" | "ran" | "toHost"> | undefined;
  for (const stage of dockerfile.stages) {
    const variables: Record<string, string | undefined> = {};
    const env: Record<string, string> = {};
    let workdir = "/";
    let cmd: string[] = [];
    let entrypoint: string[] = [];
    let healthcheck: string[] = [];
    let user: string | undefined;
    let stopSignal: string | undefined;
    const vars = () => ({ ...variables, ...env });
    for (const instruction of stage.instructions) {
      const at = `${DOCKERFILE}:${instruction.line}`;
      switch (instruction.keyword) {
        case "ARG": {
          const { name, value } = argDeclaration(instruction);
          variables[name] = options.buildArgs[name] ?? value ?? globals[name];
          break;
        }
        case "ENV":
          Object.assign(env, envDeclarations(instruction));
          break;
        case "WORKDIR":
          workdir = posix.resolve(workdir, substitute(instruction.args, vars()));
          mkdirSync(toHost(workdir), { recursive: true });
          break;
        case "COPY":
          copy(instruction, vars(), workdir, { toHost, includes: ignore, mayReincludeUnder: ignore });
          break;
        case "RUN": {
          const command = instruction.args;
          if (/^npm install --global\b.*\bpnpm@/.test(command)) {
            const wanted = substitute(command.replace(/^.*\bpnpm@(\S+).*$/, "$1"), vars());
            if (wanted !== options.pnpmVersion) {
              throw new Error(
                `${at}: the image installs pnpm ${wanted}; this machine has ${options.pnpmVersion}`,
              );
            }
            break;
          }
          ran.push(command);
          runShell(command, {
            cwd: toHost(workdir),
            env: Object.fromEntries(
              Object.entries(vars()).filter((entry): entry is [string, string] => entry[1] !== undefined),
            ),
            at,
          });
          break;
        }
        case "USER":
          user = substitute(instruction.args, vars());
          break;
        case "HEALTHCHECK": {
          const { rest } = splitFlags(instruction.args);
          const command = execForm(rest.replace(/^CMD\s+/, ""));
          if (!rest.startsWith("CMD ") || !command)
            throw new Error(`${at}: HEALTHCHECK is not CMD in exec form`);
          healthcheck = command;
          break;
        }
        case "CMD": {
          const command = execForm(instruction.args);
          if (!command) throw new Error(`${at}: CMD is not in exec form`);
          cmd = command;
          break;
        }
        case "ENTRYPOINT": {
          const command = execForm(instruction.args);
          if (!command) throw new Error(`${at}: ENTRYPOINT is not in exec form`);
          entrypoint = command;
          break;
        }
        case "STOPSIGNAL":
          stopSignal = instruction.args;
          break;
        case "EXPOSE":
        case "LABEL":
          break;
        default:
          throw new Error(`${at}: ${instruction.keyword} is not supported by the layout test; extend it`);
      }
    }
    final = { workdir: toHost(workdir), env, cmd: [...entrypoint, ...cmd], healthcheck, user, stopSignal };
  }
  if (!final) throw new Error(`${DOCKERFILE} has no stage`);
  return { ...final, root: options.root, ran, toHost };
}

interface CopyContext {
  toHost(containerPath: string): string;
  includes: { includes(relativePath: string): boolean };
  mayReincludeUnder: { mayReincludeUnder(relativeFolder: string): boolean };
}

function copy(
  instruction: Instruction,
  variables: Record<string, string | undefined>,
  workdir: string,
  context: CopyContext,
): void {
  const { flags, rest } = splitFlags(instruction.args);
  const words = substitute(rest, variables).split(/\s+/);
  const destination = words.pop();
  if (!destination || words.length === 0)
    throw new Error(`${DOCKERFILE}:${instruction.line}: COPY needs a source and a destination`);
  const target = posix.resolve(workdir, destination);
  const intoFolder = destination.endsWith("/") || words.length > 1;
  for (const source of words) {
    if (flags.from !== undefined) {
      // Between stages: this layout keeps every stage in the same root, so the files are already there.
      const from = context.toHost(source);
      const to = context.toHost(intoFolder ? posix.join(target, posix.basename(source)) : target);
      if (from !== to) cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      continue;
    }
    const relativeSource = posix.normalize(source).replace(/\/+$/, "");
    const hostSource = join(repoRoot, relativeSource);
    if (!existsSync(hostSource))
      throw new Error(`${DOCKERFILE}:${instruction.line}: COPY source ${source} does not exist`);
    if (statSync(hostSource).isDirectory()) {
      // Docker copies a folder's contents, not the folder itself.
      copyFolder(relativeSource, context.toHost(target), context);
    } else {
      if (!context.includes.includes(relativeSource)) {
        throw new Error(`${DOCKERFILE}:${instruction.line}: COPY ${source} is excluded by .dockerignore`);
      }
      const to = intoFolder
        ? join(context.toHost(target), posix.basename(relativeSource))
        : context.toHost(target);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(hostSource, to);
    }
  }
}

function copyFolder(relativeFolder: string, hostTarget: string, context: CopyContext): void {
  mkdirSync(hostTarget, { recursive: true });
  for (const entry of readdirSync(join(repoRoot, relativeFolder), { withFileTypes: true })) {
    const relativePath = posix.join(relativeFolder, entry.name);
    const included = context.includes.includes(relativePath);
    if (entry.isDirectory()) {
      if (included || context.mayReincludeUnder.mayReincludeUnder(relativePath)) {
        copyFolder(relativePath, join(hostTarget, entry.name), context);
      }
    } else if (included) {
      cpSync(join(repoRoot, relativePath), join(hostTarget, entry.name), { verbatimSymlinks: true });
    }
  }
}

function runShell(command: string, options: { cwd: string; env: Record<string, string>; at: string }): void {
  try {
    execFileSync("sh", ["-c", command], {
      cwd: options.cwd,
      // A builder's RUN sees the stage's ARG/ENV values, not the caller's environment; PATH and HOME
      // stand for the image's (where node, pnpm and pnpm's store live).
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...options.env },
      stdio: "pipe",
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(
      `${options.at}: RUN ${command} failed\n${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? e.message}`,
    );
  }
}

/** Every file path under `folder`, relative to it, not following symlinks. */
export function listFiles(folder: string, skip: (relativePath: string) => boolean = () => false): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      const relativePath = relative(folder, path);
      if (skip(relativePath)) continue;
      if (entry.isDirectory()) walk(path);
      else found.push(relativePath);
    }
  };
  walk(folder);
  return found;
}
