/**
 * `pnpm events dlq list <consumer>` and `pnpm events dlq replay <consumer> [--id <event-id>]`:
 * the dead letters a consumer gave up on (orderly.dlq.<consumer>), and putting them back on their
 * original subject once the cause is fixed. Reads EVENT_BUS_URL (nats://host:4222).
 */
import {
  connectEventBus,
  type DeadLetterEntry,
  listDeadLetters,
  parseEventBusConfig,
  replayDeadLetters,
} from "@orderly/kit/events";

const USAGE = `usage:
  pnpm events dlq list <consumer> [--json]
  pnpm events dlq replay <consumer> [--id <event-id>]
with EVENT_BUS_URL=nats://host:4222`;

type Command =
  | { kind: "list"; consumer: string; json: boolean }
  | { kind: "replay"; consumer: string; eventId: string | undefined };

export function parseEventsCommand(args: readonly string[]): Command | { kind: "usage"; error: string } {
  const [area, verb, consumer, ...rest] = args;
  if (area !== "dlq" || (verb !== "list" && verb !== "replay"))
    return { kind: "usage", error: "unknown command" };
  if (consumer === undefined || consumer.startsWith("-"))
    return { kind: "usage", error: "missing <consumer>" };
  if (verb === "list") {
    const unknown = rest.filter((arg) => arg !== "--json");
    if (unknown.length > 0) return { kind: "usage", error: `unknown argument ${unknown[0]}` };
    return { kind: "list", consumer, json: rest.includes("--json") };
  }
  if (rest.length === 0) return { kind: "replay", consumer, eventId: undefined };
  if (rest[0] === "--id" && rest[1] !== undefined && rest.length === 2) {
    return { kind: "replay", consumer, eventId: rest[1] };
  }
  return { kind: "usage", error: `unexpected ${rest.join(" ")}` };
}

function formatEntry(entry: DeadLetterEntry): string {
  return [
    `#${entry.sequence}`,
    entry.eventId ?? "(no event id)",
    entry.eventType ?? "(no type)",
    `from ${entry.originalSubject ?? "?"}`,
    `after ${entry.attempts ?? "?"} attempts`,
    entry.deadLetteredAt.toISOString(),
    `error: ${entry.error ?? "?"}`,
  ].join("  ");
}

/** Runs one command; returns the exit code (2 usage, 1 failure, 0 done). */
export async function runEventsCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const command = parseEventsCommand(args);
  if (command.kind === "usage") {
    err(`${command.error}\n${USAGE}`);
    return 2;
  }
  let config: ReturnType<typeof parseEventBusConfig>;
  try {
    config = parseEventBusConfig(env);
  } catch (error) {
    err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (config === undefined) {
    err(`EVENT_BUS_URL is not set\n${USAGE}`);
    return 2;
  }
  const silent = { info() {}, warn() {}, error() {} };
  const bus = await connectEventBus({ config, name: "orderly-events-cli", log: silent });
  try {
    if (command.kind === "list") {
      const entries = await listDeadLetters(bus.jsm, command.consumer);
      if (command.json) for (const entry of entries) out(JSON.stringify(entry));
      else {
        for (const entry of entries) out(formatEntry(entry));
        out(`${entries.length} dead letter(s) for ${command.consumer}`);
      }
      return 0;
    }
    const options = command.eventId === undefined ? {} : { eventId: command.eventId };
    const { replayed } = await replayDeadLetters(bus.js, bus.jsm, command.consumer, options);
    for (const entry of replayed) out(`replayed ${formatEntry(entry)}`);
    out(`${replayed.length} dead letter(s) replayed for ${command.consumer}`);
    if (command.eventId !== undefined && replayed.length === 0) {
      err(`no dead letter of ${command.consumer} has event id ${command.eventId}`);
      return 1;
    }
    return 0;
  } finally {
    await bus.close();
  }
}

if (import.meta.main) {
  const write = (stream: NodeJS.WriteStream) => (line: string) => stream.write(`${line}\n`);
  runEventsCommand(process.argv.slice(2), process.env, write(process.stdout), write(process.stderr)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
