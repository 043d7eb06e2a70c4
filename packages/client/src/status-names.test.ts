import { describe, expect, it } from "vitest";
import { statusNames } from "./status-names.ts";
import { SHIPMENT_STATUSES } from "./types.ts";
import { ShipmentStatusSchema } from "./wire.ts";

describe("statusNames", () => {
  it("when given a generated enum, then it names every value but UNSPECIFIED, in the enum's order", () => {
    const Colour = { UNSPECIFIED: 0, RED: 1, GREEN: 2, BLUE: 3 } as const;

    expect(statusNames(Colour)).toEqual(["RED", "GREEN", "BLUE"]);
  });

  it("when the client lists shipment statuses, then they are the proto's, number 1 upwards", () => {
    const fromDescriptor = ShipmentStatusSchema.values.filter((v) => v.number !== 0).map((v) => v.localName);

    expect(SHIPMENT_STATUSES).toEqual(fromDescriptor);
  });

  it("when someone tries to change a list, then it is frozen", () => {
    expect(Object.isFrozen(SHIPMENT_STATUSES)).toBe(true);
  });
});
