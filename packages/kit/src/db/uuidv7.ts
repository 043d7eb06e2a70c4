import { getRandomValues } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * An RFC 9562 UUIDv7: 48-bit Unix milliseconds, then 74 crypto-random bits. Ids sort by creation
 * time (to the millisecond), which keeps b-tree inserts local; ties within a millisecond are random.
 */
export function uuidv7(timestampMs: number = Date.now()): string {
  const bytes = getRandomValues(new Uint8Array(16));
  // Split the 48-bit timestamp because bitwise operators truncate to 32 bits.
  const high = Math.floor(timestampMs / 2 ** 32);
  const low = timestampMs >>> 0;
  bytes[0] = (high >>> 8) & 0xff;
  bytes[1] = high & 0xff;
  bytes[2] = (low >>> 24) & 0xff;
  bytes[3] = (low >>> 16) & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  let out = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += "-";
    out += HEX[bytes[i] as number];
  }
  return out;
}
