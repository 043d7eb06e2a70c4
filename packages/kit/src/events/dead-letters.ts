import {
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  type StoredMsg,
} from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { copyHeaders } from "./dead-letter.ts";
import { EventHeaders } from "./event-headers.ts";
import { DLQ_STREAM, dlqSubject } from "./subjects.ts";

/** A dead letter as the `events dlq` command shows it. */
export interface DeadLetterEntry {
  /** Position in the DLQ stream. */
  sequence: number;
  eventId: string | undefined;
  eventType: string | undefined;
  consumer: string;
  originalSubject: string | undefined;
  attempts: number | undefined;
  error: string | undefined;
  deadLetteredAt: Date;
}

/** Every dead letter of `consumer`, oldest first. */
export async function listDeadLetters(jsm: JetStreamManager, consumer: string): Promise<DeadLetterEntry[]> {
  return (await storedDeadLetters(jsm, consumer)).map((stored) => toEntry(stored, consumer));
}

export interface ReplayResult {
  replayed: DeadLetterEntry[];
}

/**
 * Publishes dead letters of `consumer` (all, or the one whose event id is `eventId`) back to their
 * original subject and removes them from the DLQ. Every consumer of that subject receives the event
 * again; those that handled it before skip it through their inbox, so only the failed one applies it.
 */
export async function replayDeadLetters(
  js: JetStreamClient,
  jsm: JetStreamManager,
  consumer: string,
  options: { eventId?: string } = {},
): Promise<ReplayResult> {
  const replayed: DeadLetterEntry[] = [];
  for (const stored of await storedDeadLetters(jsm, consumer)) {
    const entry = toEntry(stored, consumer);
    if (options.eventId !== undefined && entry.eventId !== options.eventId) continue;
    if (entry.originalSubject === undefined) continue;
    const h = headers();
    copyHeaders(stored.header, h);
    // A fresh message id: the original's may still be inside the stream's duplicate window.
    await js.publish(entry.originalSubject, stored.data, {
      msgID: `replay:${consumer}:${stored.seq}`,
      headers: h,
    });
    await jsm.streams.deleteMessage(DLQ_STREAM, stored.seq, false);
    replayed.push(entry);
  }
  return { replayed };
}

/** Scans the DLQ stream (small by nature) for `orderly.dlq.<consumer>`. */
async function storedDeadLetters(jsm: JetStreamManager, consumer: string): Promise<StoredMsg[]> {
  const subject = dlqSubject(consumer);
  const info = await jsm.streams.info(DLQ_STREAM).catch((err: unknown) => {
    if (err instanceof JetStreamApiError && err.code === 10059) return undefined;
    throw err;
  });
  if (info === undefined || info.state.messages === 0) return [];
  const found: StoredMsg[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const stored = await jsm.streams.getMessage(DLQ_STREAM, { seq }).catch(() => null);
    if (stored !== null && stored.subject === subject) found.push(stored);
  }
  return found;
}

function toEntry(stored: StoredMsg, consumer: string): DeadLetterEntry {
  const get = (name: string) => stored.header?.get(name) || undefined;
  const attempts = get(EventHeaders.dlqAttempts);
  return {
    sequence: stored.seq,
    eventId: get(EventHeaders.dlqEventId),
    eventType: get(EventHeaders.eventType),
    consumer,
    originalSubject: get(EventHeaders.dlqSubject),
    attempts: attempts === undefined ? undefined : Number(attempts),
    error: get(EventHeaders.dlqError),
    deadLetteredAt: stored.time,
  };
}
