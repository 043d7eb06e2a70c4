import { describe, expect, it } from "vitest";
import { PdfDocument } from "./pdf-writer.ts";
import { byteString, extractText, pdftotextAvailable, structuralProblems } from "./testing/pdf-inspection.ts";

function sampleDocument(pages: number): Uint8Array {
  const document = new PdfDocument();
  for (let i = 1; i <= pages; i++) {
    const page = document.addPage();
    page.text(50, 60, `Page ${i}: a \\ backslash, (parentheses) and ) unbalanced`, {
      font: "regular",
      size: 12,
    });
    page.text(50, 80, "Bold Grüße — 100 €", { font: "bold", size: 12 });
    page.line(50, 90, 300, 90, 1);
    page.fillRect(50, 100, 100, 20, [0.9, 0.9, 0.9]);
  }
  return document.toBytes({
    title: "Test (1)",
    author: "Orderly",
    created: new Date("2026-03-14T09:30:00Z"),
  });
}

describe("PdfDocument", () => {
  it.each([1, 3])(
    "when a %i-page document is written, then header, xref offsets, lengths and trailer are sound",
    (pages) => {
      const pdf = sampleDocument(pages);
      expect(structuralProblems(pdf)).toEqual([]);
      expect(byteString(pdf)).toContain(`/Count ${pages}`);
    },
  );

  it("when the file is damaged, then the structure check notices (it is not vacuous)", () => {
    const file = byteString(sampleDocument(1));
    const damage = (text: string) => structuralProblems(Buffer.from(text, "latin1"));
    expect(damage(file.replace("0000000015 00000 n", "0000000016 00000 n"))).toEqual([
      'xref entry 1 (16) misses "1 0 obj"',
    ]);
    expect(damage(file.replace("%PDF-1.4\n", "%PDF-1.4\n\n")).join()).toMatch(
      /startxref \d+ does not point at xref/,
    );
    expect(damage(file.replace(/\/Length (\d+)/, (_, n) => `/Length ${Number(n) + 1}`))).not.toEqual([]);
  });

  it("when text holds a backslash and parentheses, then they are escaped in the content stream", () => {
    expect(byteString(sampleDocument(1))).toContain(
      "(Page 1: a \\\\ backslash, \\(parentheses\\) and \\) unbalanced) Tj",
    );
  });

  it("when text is outside ASCII, then it is written as WinAnsi octal escapes", () => {
    // ü = 0xFC = \374, ß = 0xDF = \337, — = 0x97 = \227, € = 0x80 = \200
    expect(byteString(sampleDocument(1))).toContain("(Bold Gr\\374\\337e \\227 100 \\200) Tj");
  });

  it("when the same pages are written twice, then the bytes are identical", () => {
    expect(sampleDocument(2)).toEqual(sampleDocument(2));
  });

  it.skipIf(!pdftotextAvailable())(
    "when a reader extracts the text, then it reads back exactly what was written",
    () => {
      const text = extractText(sampleDocument(2));
      expect(text).toContain("Page 1: a \\ backslash, (parentheses) and ) unbalanced");
      expect(text).toContain("Page 2:");
      expect(text).toContain("Bold Grüße — 100 €");
    },
  );
});
