/**
 * The malformed values the fuzz test drives every input with, and a seeded generator, so a run is
 * the same run every time (a failure names its seed and case and replays exactly).
 */

/** mulberry32: small, fast, good enough to pick cases; seeded so runs repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Marks where a JSON body's raw bytes are replaced by invalid UTF-8 (JSON cannot carry it). */
export const INVALID_UTF8_MARK = "\u0001INVALID-UTF8\u0001";

/** A string of `length` characters drawn from awkward ranges (controls, RTL, astral, combining). */
export function junkString(random: () => number, length: number): string {
  const ranges: [number, number][] = [
    [0x00, 0x1f],
    [0x20, 0x7e],
    [0x300, 0x36f],
    [0x590, 0x5ff],
    [0xfff0, 0xfffd],
    [0x1f600, 0x1f64f],
  ];
  let out = "";
  for (let i = 0; i < length; i++) {
    const [lo, hi] = ranges[Math.floor(random() * ranges.length)] as [number, number];
    out += String.fromCodePoint(lo + Math.floor(random() * (hi - lo + 1)));
  }
  return out;
}

export interface Malformed {
  label: string;
  value: unknown;
}

/** Values no string field accepts. */
export function badStrings(random: () => number): Malformed[] {
  return [
    { label: "NUL byte", value: "ab\u0000cd" },
    { label: "lone high surrogate", value: "ab\ud800cd" },
    { label: "lone low surrogate", value: "\udc00" },
    { label: "invalid UTF-8", value: INVALID_UTF8_MARK },
    { label: "100k characters", value: "x".repeat(100_000) },
    { label: "seeded junk with controls", value: `\u0007${junkString(random, 40)}` },
    { label: "number instead of string", value: 5 },
    { label: "boolean instead of string", value: true },
    { label: "object instead of string", value: { a: 1 } },
    { label: "array instead of string", value: ["a"] },
    { label: "null", value: null },
  ];
}

/** Values no integer field accepts (strings that look like numbers included: no coercion). */
export function badIntegers(): Malformed[] {
  return [
    { label: "string number", value: "2" },
    { label: "boolean", value: true },
    { label: "fraction", value: 1.5 },
    { label: "1e308", value: 1e308 },
    { label: "2^63", value: 2 ** 63 },
    { label: "-2^63", value: -(2 ** 63) },
    { label: "null", value: null },
    { label: "object", value: { n: 1 } },
    { label: "array", value: [1] },
  ];
}

/** Values for path and query parameters: text, percent-encoded where the wire needs it. */
export function badParameters(random: () => number): Malformed[] {
  return [
    { label: "zz", value: "zz" },
    { label: "NUL", value: "%00" },
    { label: "encoded lone surrogate", value: "%ED%A0%80" },
    { label: "invalid UTF-8", value: "%C3%28" },
    { label: "broken escape", value: "%E0%A4%A" },
    { label: "10k characters", value: "a".repeat(10_000) },
    { label: "negative", value: "-1" },
    { label: "huge number", value: "9".repeat(40) },
    { label: "1e309", value: "1e309" },
    { label: "dot segments", value: "..%2F..%2Fetc%2Fpasswd" },
    { label: "seeded junk", value: encodeURIComponent(junkString(random, 20)) },
  ];
}

/** JSON nested `depth` levels deep, as text (JSON.stringify would overflow the stack first). */
export function deeplyNested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}
