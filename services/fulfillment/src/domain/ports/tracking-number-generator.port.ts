import type { Carrier } from "../carrier.ts";

/** A fresh tracking number in the carrier's format. */
export interface TrackingNumberGenerator {
  next(carrier: Carrier): string;
}
