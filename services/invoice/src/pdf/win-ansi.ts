/**
 * WinAnsiEncoding (PDF 1.4, Annex D; Windows-1252): the encoding the standard Type1 fonts are
 * declared with here. It equals Latin-1 except in 0x80-0x9F, which hold these characters.
 */
// biome-ignore format: a table reads best as a table
const HIGH_CODES: ReadonlyMap<string, number> = new Map([
  ["€", 0x80], ["‚", 0x82], ["ƒ", 0x83], ["„", 0x84], ["…", 0x85], ["†", 0x86], ["‡", 0x87],
  ["ˆ", 0x88], ["‰", 0x89], ["Š", 0x8a], ["‹", 0x8b], ["Œ", 0x8c], ["Ž", 0x8e], ["‘", 0x91],
  ["’", 0x92], ["“", 0x93], ["”", 0x94], ["•", 0x95], ["–", 0x96], ["—", 0x97], ["˜", 0x98],
  ["™", 0x99], ["š", 0x9a], ["›", 0x9b], ["œ", 0x9c], ["ž", 0x9e], ["Ÿ", 0x9f],
]);

const QUESTION_MARK = 0x3f;
const SPACE = 0x20;
// Spaces Intl and users produce that the encoding lacks (thin, narrow no-break, figure space...).
const OTHER_SPACES = /[\t\n\r\u2000-\u200a\u202f\u205f\u3000]/u;

function codeOf(char: string): number | undefined {
  const point = char.codePointAt(0) ?? 0;
  if ((point >= 0x20 && point <= 0x7e) || (point >= 0xa0 && point <= 0xff)) return point;
  return HIGH_CODES.get(char) ?? (OTHER_SPACES.test(char) ? SPACE : undefined);
}

/**
 * The WinAnsi bytes of `text` (NFC first, so a decomposed "é" still maps). A character the encoding
 * lacks becomes "?": the standard fonts have no glyph for it, and a visible "?" beats a silent drop.
 */
export function encodeWinAnsi(text: string): Uint8Array {
  const chars = [...text.normalize("NFC")];
  return Uint8Array.from(chars, (char) => codeOf(char) ?? QUESTION_MARK);
}

/** True when every character of `text` has a WinAnsi code (so nothing would print as "?"). */
export function isWinAnsiEncodable(text: string): boolean {
  return [...text.normalize("NFC")].every((char) => codeOf(char) !== undefined);
}

/**
 * A PDF literal string, e.g. `(Total \(net\))`: backslash and parentheses escaped, and every byte
 * outside printable ASCII written as an octal escape so content streams stay 7-bit clean.
 */
export function pdfLiteralString(bytes: Uint8Array): string {
  let out = "(";
  for (const byte of bytes) {
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte <= 0x7e) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, "0")}`;
  }
  return `${out})`;
}
