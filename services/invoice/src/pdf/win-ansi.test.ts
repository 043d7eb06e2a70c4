import { describe, expect, it } from "vitest";
import { encodeWinAnsi, isWinAnsiEncodable, pdfLiteralString } from "./win-ansi.ts";

describe("WinAnsi encoding", () => {
  it.each([
    ["ASCII", "Ab1 ~", [0x41, 0x62, 0x31, 0x20, 0x7e]],
    ["Latin-1 letters", "Müß", [0x4d, 0xfc, 0xdf]],
    ["a decomposed é", "e\u0301", [0xe9]],
    ["the euro sign and dashes", "€–—", [0x80, 0x96, 0x97]],
    ["Intl's narrow no-break space", "CHF\u202f1", [0x43, 0x48, 0x46, 0x20, 0x31]],
    ["characters the fonts lack", "山田 ₹", [0x3f, 0x3f, 0x20, 0x3f]],
  ])("when %s are encoded, then the bytes are the WinAnsi codes", (_, text, bytes) => {
    expect([...encodeWinAnsi(text)]).toEqual(bytes);
  });

  it("when text has characters outside WinAnsi, then it is reported as not encodable", () => {
    expect([isWinAnsiEncodable("€1,234.56"), isWinAnsiEncodable("₹1,234.56")]).toEqual([true, false]);
  });

  it("when a literal string is built, then delimiters are escaped and non-ASCII bytes are octal", () => {
    expect(pdfLiteralString(encodeWinAnsi("a(b)c\\d é"))).toBe("(a\\(b\\)c\\\\d \\351)");
  });
});
