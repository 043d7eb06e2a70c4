import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { uuidv7 } from "@orderly/kit/db";
import { buildEnvelope, type EventBus, encodeEnvelope } from "@orderly/kit/events";
import { eventually } from "@orderly/testkit/nats";
import { expect } from "vitest";

export const SLOW = { timeout: 90_000 };

/** Publishes an order event as the order service's relay does (`Nats-Msg-Id` = event id unless `msgId`). */
export async function publishOrderEvent<Desc extends DescMessage>(
  bus: EventBus,
  token: string,
  schema: Desc,
  payload: MessageInitShape<Desc>,
  orderId: string,
  eventId = uuidv7(),
  msgId = eventId,
): Promise<string> {
  const envelope = buildEnvelope({
    eventId,
    source: "order",
    aggregateId: orderId,
    aggregateVersion: 5n,
    occurredAt: new Date(),
    schema,
    payload: create(schema, payload),
  });
  await bus.js.publish(`orderly.order.${token}`, encodeEnvelope(envelope), { msgID: msgId });
  return eventId;
}

/** Waits until the invoice consumer has acknowledged every message up to `streamSeq`. */
export async function consumedUpTo(bus: EventBus, streamSeq: number) {
  const info = await eventually(
    () => bus.jsm.consumers.info("ORDERLY_ORDER", "invoice").catch(() => undefined),
    (i) => i?.delivered.stream_seq === streamSeq && i.num_ack_pending === 0 && i.num_pending === 0,
    60_000,
  );
  expect(info?.delivered.stream_seq).toBe(streamSeq);
  expect(info?.num_ack_pending).toBe(0);
}

/** orderly_events_consumed_total of the invoice consumer for `subject`, read from GET /metrics. */
export async function consumedCount(httpUrl: string, subject: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const line = text
    .split("\n")
    .find(
      (l) =>
        l.startsWith("orderly_events_consumed_total{") &&
        l.includes('consumer="invoice"') &&
        l.includes(`subject="${subject}"`),
    );
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}
