import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { eventually, natsServerAvailable, startNatsServer, type TestNatsServer } from "@orderly/testkit/nats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EventsTestDatabase,
  effectCounts,
  onceEach,
  openEventsTestDatabase,
  quietLog,
  recordConfirmed,
  recordEffect,
  TEST_STREAM,
} from "../packages/kit/src/events/event-bus.test-support.ts";
import { connectEventBus, type EventBus } from "../packages/kit/src/events/event-bus.ts";
import { parseEventsCommand } from "../scripts/events.ts";

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, "..", "scripts", "events.ts");
const SLOW = { timeout: 60_000 };

describe("pnpm events arguments", () => {
  it.each([
    [["dlq", "list", "billing"], { kind: "list", consumer: "billing", json: false }],
    [["dlq", "list", "billing", "--json"], { kind: "list", consumer: "billing", json: true }],
    [["dlq", "replay", "billing"], { kind: "replay", consumer: "billing", eventId: undefined }],
    [["dlq", "replay", "billing", "--id", "e-1"], { kind: "replay", consumer: "billing", eventId: "e-1" }],
    [["dlq", "list"], { kind: "usage", error: "missing <consumer>" }],
    [["dlq", "replay", "billing", "--id"], { kind: "usage", error: "unexpected --id" }],
    [["outbox", "list", "billing"], { kind: "usage", error: "unknown command" }],
  ])("when the arguments are %j, then the command is %j", (args, expected) => {
    expect(parseEventsCommand(args)).toEqual(expected);
  });
});

describe.runIf(natsServerAvailable())("pnpm events dlq against nats-server", SLOW, () => {
  let testDb: EventsTestDatabase;
  let nats: TestNatsServer;
  let bus: EventBus;

  beforeAll(async () => {
    testDb = await openEventsTestDatabase("pglite", "events-command");
    nats = await startNatsServer();
    bus = await connectEventBus({
      config: { servers: [nats.url], stream: TEST_STREAM },
      name: "cli-test",
      log: quietLog(),
    });
  }, SLOW.timeout);

  afterAll(async () => {
    await bus?.close();
    await nats?.stop();
    await testDb?.drop();
  }, SLOW.timeout);

  const events = (...args: string[]) =>
    run(process.execPath, [SCRIPT, ...args], { env: { ...process.env, EVENT_BUS_URL: nats.url } });

  it("when a consumer dead-lettered an event, then list shows it and replay --id hands it back to the consumer", async () => {
    const [poisoned] = await recordConfirmed(testDb.database, 1);
    let fixed = false;
    const record = recordEffect("billing");
    const consumer = bus.consumer({
      database: testDb.database,
      consumer: "billing",
      source: "order",
      maxAttempts: 1,
      handle: async (event, trx) => {
        if (!fixed) throw new Error("billing is misconfigured");
        await record(event, trx);
      },
    });
    const relay = bus.relay({ database: testDb.database, source: "order", events: ["confirmed"] });
    consumer.start();
    relay.start();
    try {
      const listed = await eventually(
        () => events("dlq", "list", "billing", "--json"),
        (result) => result.stdout.trim() !== "",
      );
      const entries = listed.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries).toEqual([
        expect.objectContaining({
          eventId: poisoned,
          originalSubject: "orderly.order.confirmed",
          attempts: 1,
          error: "Error: billing is misconfigured",
        }),
      ]);

      fixed = true;
      const replay = await events("dlq", "replay", "billing", "--id", poisoned as string);
      const counts = await eventually(
        () => effectCounts(testDb.database, "billing"),
        (c) => c.size === 1,
      );
      const after = await events("dlq", "list", "billing");

      expect(replay.stdout).toContain("1 dead letter(s) replayed for billing");
      expect(counts).toEqual(onceEach([poisoned as string]));
      expect(after.stdout.trim()).toBe("0 dead letter(s) for billing");
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it("when EVENT_BUS_URL is not set, then the command exits 2 and says so", async () => {
    const result = await run(process.execPath, [SCRIPT, "dlq", "list", "billing"], {
      env: { ...process.env, EVENT_BUS_URL: "" },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("EVENT_BUS_URL is not set");
  });
});
