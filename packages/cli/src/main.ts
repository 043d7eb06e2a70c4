#!/usr/bin/env node
/** `orderly` (`pnpm orderly …` from the repository root): see `orderly --help`. */
import { run } from "./run.ts";

const controller = new AbortController();
// Ctrl-C while watching: stop the stream and exit 0; a second Ctrl-C exits at once.
process.once("SIGINT", () => {
  controller.abort();
  process.once("SIGINT", () => process.exit(130));
});

process.exitCode = await run(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  // pnpm runs root scripts in the repository root; INIT_CWD is where the user typed the command.
  userCwd: process.env.INIT_CWD ?? process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: process.stdout.isTTY === true,
  signal: controller.signal,
});
