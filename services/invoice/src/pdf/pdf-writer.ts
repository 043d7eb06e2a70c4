import type { FontStyle } from "./helvetica-metrics.ts";
import { encodeWinAnsi, pdfLiteralString } from "./win-ansi.ts";

/*
 * A minimal, correct PDF 1.4 writer: pages of text (the standard Helvetica and Helvetica-Bold
 * Type1 fonts, WinAnsi encoding, not embedded), straight lines and filled rectangles, an Info
 * dictionary, and a classic cross-reference table. Content streams are left uncompressed: an
 * invoice is a few kilobytes and its text stays greppable. Layout code uses top-left coordinates
 * (y grows downward, like the page is read); this module flips them into PDF space.
 */

export type Rgb = readonly [number, number, number];

export interface TextStyle {
  font: FontStyle;
  size: number;
  color?: Rgb;
  /** Counter-clockwise rotation in degrees around the text origin. */
  angle?: number;
}

export interface DocumentInfo {
  title: string;
  author: string;
  subject?: string;
  /** Written as the Info CreationDate (UTC). */
  created: Date;
}

const FONT_RESOURCE: Record<FontStyle, string> = { regular: "F1", bold: "F2" };
const BLACK: Rgb = [0, 0, 0];

/** A number as PDF writes it: at most 3 decimals, never exponent notation, no "-0". */
function num(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

function rgb(color: Rgb): string {
  return color.map(num).join(" ");
}

export class PdfPage {
  readonly width: number;
  readonly height: number;
  readonly #ops: string[] = [];

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
  }

  /** Text whose baseline starts at (x, y), y measured from the top of the page. */
  text(x: number, y: number, text: string, style: TextStyle): void {
    if (text === "") return;
    const radians = ((style.angle ?? 0) * Math.PI) / 180;
    const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
    const matrix = [cos, sin, -sin, cos, x, this.height - y].map(num).join(" ");
    this.#ops.push(
      `BT ${rgb(style.color ?? BLACK)} rg /${FONT_RESOURCE[style.font]} ${num(style.size)} Tf ${matrix} Tm ` +
        `${pdfLiteralString(encodeWinAnsi(text))} Tj ET`,
    );
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, color: Rgb = BLACK): void {
    this.#ops.push(
      `q ${rgb(color)} RG ${num(width)} w ${num(x1)} ${num(this.height - y1)} m ${num(x2)} ${num(this.height - y2)} l S Q`,
    );
  }

  /** A filled rectangle whose top-left corner is (x, y). */
  fillRect(x: number, y: number, width: number, height: number, color: Rgb): void {
    this.#ops.push(
      `q ${rgb(color)} rg ${num(x)} ${num(this.height - y - height)} ${num(width)} ${num(height)} re f Q`,
    );
  }

  /** The content stream: 7-bit ASCII (strings use octal escapes), so its length is its byte count. */
  contentStream(): string {
    return this.#ops.join("\n");
  }
}

/** UTF-16BE with a byte-order mark, as a hex string: the one text-string form valid for any text. */
function pdfTextString(text: string): string {
  let hex = "<FEFF";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase();
  return `${hex}>`;
}

function pdfDate(date: Date): string {
  const iso = date.toISOString(); // 2026-03-14T09:30:00.000Z
  return `(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z)`;
}

export class PdfDocument {
  readonly #pages: PdfPage[] = [];
  readonly #width: number;
  readonly #height: number;

  /** Page size in points; A4 by default. */
  constructor(width = 595.28, height = 841.89) {
    this.#width = width;
    this.#height = height;
  }

  addPage(): PdfPage {
    const page = new PdfPage(this.#width, this.#height);
    this.#pages.push(page);
    return page;
  }

  get pageCount(): number {
    return this.#pages.length;
  }

  /** The finished file. Deterministic: the same pages and info always give the same bytes. */
  toBytes(info: DocumentInfo): Uint8Array {
    // Objects 1-5 are fixed; page i then adds its content stream (6 + 2i) and its page object (7 + 2i).
    const pageIds = this.#pages.map((_, i) => 7 + 2 * i);
    const objects: string[] = [
      "<< /Type /Catalog /Pages 2 0 R >>",
      `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pageIds.length} >>`,
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
      `<< /Title ${pdfTextString(info.title)} /Author ${pdfTextString(info.author)}` +
        (info.subject === undefined ? "" : ` /Subject ${pdfTextString(info.subject)}`) +
        ` /Producer ${pdfTextString("Orderly invoice service")} /CreationDate ${pdfDate(info.created)} >>`,
    ];
    for (const [i, page] of this.#pages.entries()) {
      const content = page.contentStream();
      objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
      objects.push(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(this.#width)} ${num(this.#height)}] ` +
          `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${6 + 2 * i} 0 R >>`,
      );
    }

    // Everything after the header is ASCII, so string length = byte offset.
    const header = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n"; // binary marker comment, as the spec recommends
    let body = header;
    const offsets: number[] = [];
    objects.forEach((object, i) => {
      offsets.push(body.length);
      body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    });
    const xrefOffset = body.length;
    // Each entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n/f, space, LF.
    body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
    body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
    return Uint8Array.from(body, (char) => char.charCodeAt(0));
  }
}
