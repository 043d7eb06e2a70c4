import type { JetStreamClient, JsMsg } from "@nats-io/jetstream";
import { headers, type MsgHdrs } from "@nats-io/transport-node";
import { decodeEnvelope } from "./event-envelope.ts";
import { EventHeaders } from "./event-headers.ts";
import { dlqSubject } from "./subjects.ts";

/** Headers of the original message a dead letter keeps (the rest are the broker's own). */
export const CARRIED_HEADERS = [
  EventHeaders.traceparent,
  EventHeaders.tracestate,
  EventHeaders.contentType,
  EventHeaders.eventType,
] as const;

export interface DeadLetterInput {
  consumer: string;
  stream: string;
  message: JsMsg;
  attempts: number;
  error: string;
}

/**
 * Publishes `message` to `orderly.dlq.<consumer>` with why and after how many attempts, and where it
 * came from. Its Nats-Msg-Id names the original stream position, so dead-lettering one message
 * twice (a crash before term) stores it once, while a replayed event failing again is kept again.
 */
export async function deadLetter(js: JetStreamClient, input: DeadLetterInput): Promise<void> {
  const h = headers();
  copyHeaders(input.message.headers, h);
  h.set(EventHeaders.dlqConsumer, input.consumer);
  h.set(EventHeaders.dlqError, headerValue(input.error));
  h.set(EventHeaders.dlqAttempts, String(input.attempts));
  h.set(EventHeaders.dlqSubject, input.message.subject);
  h.set(EventHeaders.dlqStream, input.stream);
  h.set(EventHeaders.dlqStreamSequence, String(input.message.seq));
  const eventId = eventIdOf(input.message.data);
  if (eventId) h.set(EventHeaders.dlqEventId, eventId);
  await js.publish(dlqSubject(input.consumer), input.message.data, {
    msgID: `dlq:${input.consumer}:${input.stream}:${input.message.seq}`,
    headers: h,
  });
}

export function copyHeaders(from: MsgHdrs | undefined, to: MsgHdrs): void {
  for (const name of CARRIED_HEADERS) {
    const value = from?.get(name);
    if (value) to.set(name, value);
  }
}

function eventIdOf(data: Uint8Array): string | undefined {
  try {
    return decodeEnvelope(data).eventId;
  } catch {
    return undefined;
  }
}

/** NATS header values are one line of printable text. */
function headerValue(text: string): string {
  const line = text.replace(/[\r\n\t]+/g, " ").replace(/[^\x20-\x7e]/g, "?");
  return line.length > 1000 ? `${line.slice(0, 1000)}...` : line;
}
