import { describe, expect, it } from "vitest";
import { dlqSubject, eventSubject, streamName, subjectSource } from "./subjects.ts";

describe("event subjects", () => {
  it("when a service names an event, then the subject is orderly.<service>.<event> in the service's stream", () => {
    expect(eventSubject("order", "confirmed")).toBe("orderly.order.confirmed");
    expect(eventSubject("fulfillment", "shipment_shipped")).toBe("orderly.fulfillment.shipment_shipped");
    expect(streamName("fulfillment")).toBe("ORDERLY_FULFILLMENT");
    expect(dlqSubject("order")).toBe("orderly.dlq.order");
  });

  it.each([
    ["Order", "confirmed"],
    ["order", "Confirmed"],
    ["order", "confirmed.v2"],
    ["order", "*"],
    ["dlq", "confirmed"],
    ["", "confirmed"],
  ])("when the service is %j and the event %j, then it is refused", (service, event) => {
    expect(() => eventSubject(service, event)).toThrow(RangeError);
  });

  it("when a subject is read back, then its producing service is known only for event subjects", () => {
    expect(subjectSource("orderly.order.confirmed")).toBe("order");
    expect(subjectSource("orderly.dlq.order")).toBeUndefined();
    expect(subjectSource("shipment.status_changed")).toBeUndefined();
    expect(subjectSource("orderly.order.confirmed.extra")).toBeUndefined();
  });
});
