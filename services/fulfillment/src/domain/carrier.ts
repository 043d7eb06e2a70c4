/** The carriers we hand parcels to. */
export const CARRIERS = ["UPS", "DHL", "FEDEX"] as const;

export type Carrier = (typeof CARRIERS)[number];

// Routing is a business table, not a calculation, and the destination alone decides it: North
// America ships with UPS, Europe with DHL, everything else with FedEx.
const UPS_COUNTRIES = new Set("US CA MX PR VI GU AS MP UM".split(" "));
const DHL_COUNTRIES = new Set(
  // European Union, then the rest of Europe
  `AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE
  AD AL AX BA BY CH FO GB GG GI IM IS JE LI MC MD ME MK NO RS SJ SM UA VA`.split(/\s+/),
);

/** The carrier for a destination country (ISO 3166-1 alpha-2). */
export function carrierFor(countryCode: string): Carrier {
  if (UPS_COUNTRIES.has(countryCode)) return "UPS";
  if (DHL_COUNTRIES.has(countryCode)) return "DHL";
  return "FEDEX";
}
