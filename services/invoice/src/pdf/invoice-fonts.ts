import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { create, type Font, type FontCollection } from "fontkit";

export type Weight = "regular" | "bold";
/** The font a run of text is set in: DejaVu Sans in a weight, or the configured fallback. */
export type FontName = Weight | "fallback";

export interface TextRun {
  readonly text: string;
  readonly font: FontName;
}

const require = createRequire(import.meta.url);
const DEJAVU = {
  regular: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  bold: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
} as const;

/**
 * The fonts every invoice PDF embeds, read and parsed once at start (never per request): DejaVu Sans
 * (Latin, Greek, Cyrillic and more; from the dejavu-fonts-ttf package, under its free licence) and,
 * when configured (INVOICE_PDF_FALLBACK_FONT), a fallback for the scripts DejaVu lacks, such as CJK.
 * pdfkit does no font fallback itself, so text is split into runs by which font has each glyph.
 */
export class InvoiceFonts {
  /**
   * Parsed fonts, handed to every document as they are: pdfkit takes a fontkit font in place of a
   * file and subsets it per document, so no request parses a font (a CJK font is megabytes).
   */
  readonly faces: Readonly<Record<Weight, Font>> & { readonly fallback?: Font };
  readonly #dejavu: Font;
  readonly #fallback: Font | undefined;

  /** Throws (at start) when a font file cannot be read or is not a font. */
  static load(fallbackFontPath?: string): InvoiceFonts {
    const regular = readFileSync(require.resolve(DEJAVU.regular));
    const bold = readFileSync(require.resolve(DEJAVU.bold));
    const fallback = fallbackFontPath === undefined ? undefined : readFileSync(fallbackFontPath);
    return new InvoiceFonts(regular, bold, fallback);
  }

  private constructor(regular: Buffer, bold: Buffer, fallback: Buffer | undefined) {
    // Regular and bold DejaVu cover the same characters; the regular one answers for both.
    this.#dejavu = single(create(regular));
    this.#fallback = fallback === undefined ? undefined : single(create(fallback));
    const boldFace = single(create(bold));
    this.faces =
      this.#fallback === undefined
        ? { regular: this.#dejavu, bold: boldFace }
        : { regular: this.#dejavu, bold: boldFace, fallback: this.#fallback };
  }

  /**
   * `text` as consecutive runs, each in the first font that has its glyphs: DejaVu in `weight`, else
   * the fallback, else DejaVu anyway (which then draws its "missing glyph" box). White space stays
   * with the run it is in, so words are not split.
   */
  runs(text: string, weight: Weight): TextRun[] {
    const runs: TextRun[] = [];
    for (const char of text) {
      const font = this.#fontFor(char, weight);
      const last = runs.at(-1);
      if (last !== undefined && (last.font === font || /\s/u.test(char))) {
        runs[runs.length - 1] = { text: last.text + char, font: last.font };
      } else {
        runs.push({ text: char, font });
      }
    }
    return runs;
  }

  /** Whether every character of `text` has a glyph in one of the fonts. */
  canDraw(text: string): boolean {
    for (const char of text) {
      const codePoint = char.codePointAt(0) ?? 0;
      if (!this.#dejavu.hasGlyphForCodePoint(codePoint) && !this.#fallback?.hasGlyphForCodePoint(codePoint))
        return false;
    }
    return true;
  }

  #fontFor(char: string, weight: Weight): FontName {
    const codePoint = char.codePointAt(0) ?? 0;
    if (this.#dejavu.hasGlyphForCodePoint(codePoint)) return weight;
    return this.#fallback?.hasGlyphForCodePoint(codePoint) ? "fallback" : weight;
  }
}

/** A .ttc holds several fonts: the first is used. */
function single(font: Font | FontCollection): Font {
  if ("fonts" in font) {
    const first = font.fonts[0];
    if (first === undefined) throw new Error("the font collection holds no font");
    return first;
  }
  return font;
}
