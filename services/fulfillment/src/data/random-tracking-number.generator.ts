import { randomInt } from "node:crypto";
import type { Carrier } from "../domain/carrier.ts";
import type { TrackingNumberGenerator } from "../domain/ports/tracking-number-generator.port.ts";

const DIGITS = "0123456789";
const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * Tracking numbers shaped like each carrier's (UPS "1Z" + 16 alphanumerics, DHL 10 digits, FedEx 12
 * digits). Random, not sequential, so they do not reveal shipment volume; until we integrate with the
 * carriers' APIs these are ours, not theirs.
 */
export class RandomTrackingNumberGenerator implements TrackingNumberGenerator {
  next(carrier: Carrier): string {
    switch (carrier) {
      case "UPS":
        return `1Z${random(ALPHANUMERIC, 16)}`;
      case "DHL":
        return random(DIGITS, 10);
      case "FEDEX":
        return random(DIGITS, 12);
    }
  }
}

function random(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
