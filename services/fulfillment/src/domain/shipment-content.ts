import type { Address, Shipment, ShipmentLine } from "./shipment.entity.ts";

export interface ShipmentContent {
  readonly customerId: string;
  readonly lines: readonly ShipmentLine[];
  readonly address: Address;
}

/**
 * Whether a repeated CreateShipment asks for what the existing shipment already holds. Line order
 * does not matter (the same parcel either way); the customer and every address field do.
 */
export function hasSameContent(shipment: Shipment, content: ShipmentContent): boolean {
  return (
    shipment.customerId === content.customerId &&
    sameLines(shipment.lines, content.lines) &&
    sameAddress(shipment.address, content.address)
  );
}

function sameLines(a: readonly ShipmentLine[], b: readonly ShipmentLine[]): boolean {
  if (a.length !== b.length) return false;
  const x = canonical(a);
  const y = canonical(b);
  return x.every((line, i) => line === y[i]);
}

function canonical(lines: readonly ShipmentLine[]): string[] {
  return lines.map((line) => `${line.sku}\u0000${line.quantity}`).sort();
}

function sameAddress(a: Address, b: Address): boolean {
  return (
    a.name === b.name &&
    a.line1 === b.line1 &&
    a.line2 === b.line2 &&
    a.city === b.city &&
    a.postalCode === b.postalCode &&
    a.countryCode === b.countryCode
  );
}
