import { create } from "@bufbuild/protobuf";
import { ShipmentStatus } from "@orderly/contracts/fulfillment";
import { ShipmentStatusChangedSchema } from "@orderly/contracts/fulfillment/events";
import { OrderConfirmedSchema } from "@orderly/contracts/order/events";
import { describe, expect, it } from "vitest";
import {
  buildEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  envelopeOccurredAt,
  unpackEnvelope,
} from "./event-envelope.ts";
import { fromOutboxPayload, toOutboxPayload } from "./outbox-event.ts";

const shipped = create(ShipmentStatusChangedSchema, {
  eventId: "0190b5c8-0000-7000-8000-000000000001",
  shipmentId: "s-1",
  orderId: "o-1",
  status: ShipmentStatus.SHIPPED,
  carrier: "DHL",
  trackingNumber: "JD0001",
});

describe("event envelope in the outbox", () => {
  it("when an event is stored and read back, then envelope, payload and trace context survive the JSON outbox", () => {
    const occurredAt = new Date("2026-12-03T10:00:00.123Z");
    const envelope = buildEnvelope({
      eventId: shipped.eventId,
      source: "fulfillment",
      aggregateId: "s-1",
      aggregateVersion: 4n,
      occurredAt,
      schema: ShipmentStatusChangedSchema,
      payload: shipped,
    });
    const trace = {
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      tracestate: "a=b",
    };
    const stored = JSON.parse(JSON.stringify(toOutboxPayload(encodeEnvelope(envelope), trace)));

    const read = fromOutboxPayload(stored);
    const decoded = decodeEnvelope(read.envelope);

    expect(read.trace).toEqual(trace);
    expect({
      eventId: decoded.eventId,
      type: decoded.type,
      source: decoded.source,
      aggregateId: decoded.aggregateId,
      aggregateVersion: decoded.aggregateVersion,
      occurredAt: envelopeOccurredAt(decoded),
    }).toEqual({
      eventId: shipped.eventId,
      type: "orderly.fulfillment.v1.ShipmentStatusChanged",
      source: "fulfillment",
      aggregateId: "s-1",
      aggregateVersion: 4n,
      occurredAt,
    });
    expect(unpackEnvelope(decoded, ShipmentStatusChangedSchema)).toEqual(shipped);
    expect(unpackEnvelope(decoded, OrderConfirmedSchema)).toBeUndefined();
  });

  it("when the outbox holds something recordEvent did not write, then reading it fails", () => {
    expect(() => fromOutboxPayload({ event_id: "x" })).toThrow(TypeError);
    expect(() => fromOutboxPayload(null)).toThrow(TypeError);
  });

  it("when bytes are not an envelope with an id and payload, then decoding fails", () => {
    expect(() => decodeEnvelope(new Uint8Array())).toThrow(TypeError);
  });
});
