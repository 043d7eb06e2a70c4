import PDFDocument from "pdfkit";
import type { FontName, InvoiceFonts, Weight } from "./invoice-fonts.ts";

/** 0..1 per channel. */
export type Rgb = readonly [number, number, number];

export interface TextStyle {
  weight: Weight;
  size: number;
  color?: Rgb | undefined;
}

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  created: Date;
}

const BLACK: Rgb = [0, 0, 0];

/**
 * A4 pages over pdfkit, in points with y growing downward from the top edge, and text placed by
 * its baseline. Text is drawn run by run, each run in the font that has its glyphs (InvoiceFonts),
 * and measured the same way, so wrapping and right alignment hold for mixed scripts.
 */
export class PdfCanvas {
  readonly width = 595.28;
  readonly height = 841.89;
  readonly #doc: PDFKit.PDFDocument;
  readonly #fonts: InvoiceFonts;
  readonly #chunks: Buffer[] = [];
  readonly #done: Promise<void>;

  constructor(fonts: InvoiceFonts, info: DocumentInfo) {
    this.#fonts = fonts;
    // Margins 0: this layout places everything itself, and pdfkit must never break a page on its own.
    this.#doc = new PDFDocument({
      size: "A4",
      margin: 0,
      autoFirstPage: false,
      bufferPages: true,
      info: { Title: info.title, Author: info.author, Subject: info.subject, CreationDate: info.created },
    });
    // pdfkit accepts a parsed fontkit font where its types say file or buffer (it checks for .layout).
    const register = (name: FontName, face: unknown) => this.#doc.registerFont(name, face as Buffer);
    const { regular, bold, fallback } = fonts.faces;
    register("regular", regular);
    register("bold", bold);
    if (fallback !== undefined) register("fallback", fallback);
    this.#doc.on("data", (chunk: Buffer) => this.#chunks.push(chunk));
    this.#done = new Promise((resolve, reject) => {
      this.#doc.on("end", resolve);
      this.#doc.on("error", reject);
    });
  }

  addPage(): void {
    this.#doc.addPage({ size: "A4", margin: 0 });
  }

  get pageCount(): number {
    return this.#doc.bufferedPageRange().count;
  }

  /** Later drawing goes to page `index` (0-based), e.g. to write "page x of y" at the end. */
  switchToPage(index: number): void {
    this.#doc.switchToPage(index);
  }

  measure(text: string, weight: Weight, size: number): number {
    let width = 0;
    for (const run of this.#fonts.runs(text, weight))
      width += this.#setFont(run.font, size).widthOfString(run.text);
    return width;
  }

  canDraw(text: string): boolean {
    return this.#fonts.canDraw(text);
  }

  text(x: number, baseline: number, text: string, style: TextStyle): void {
    const doc = this.#doc.fillColor(rgb255(style.color ?? BLACK));
    let at = x;
    for (const run of this.#fonts.runs(text, style.weight)) {
      this.#setFont(run.font, style.size);
      doc.text(run.text, at, baseline, { lineBreak: false, baseline: "alphabetic" });
      at += doc.widthOfString(run.text);
    }
  }

  /** Text rotated `angle` degrees counter-clockwise, centred on the page (a stamp). */
  stamp(text: string, style: TextStyle, angle: number, capHeight: number): void {
    const doc = this.#doc;
    const width = this.measure(text, style.weight, style.size);
    doc.save();
    doc.rotate(-angle, { origin: [this.width / 2, this.height / 2] });
    this.text(this.width / 2 - width / 2, this.height / 2 + capHeight / 2, text, style);
    doc.restore();
  }

  line(x1: number, y1: number, x2: number, y2: number, width: number, color: Rgb): void {
    this.#doc
      .save()
      .moveTo(x1, y1)
      .lineTo(x2, y2)
      .lineWidth(width)
      .strokeColor(rgb255(color))
      .stroke()
      .restore();
  }

  fillRect(x: number, y: number, width: number, height: number, color: Rgb): void {
    this.#doc.save().rect(x, y, width, height).fillColor(rgb255(color)).fill().restore();
  }

  async toBytes(): Promise<Uint8Array> {
    this.#doc.end();
    await this.#done;
    return new Uint8Array(Buffer.concat(this.#chunks));
  }

  #setFont(font: FontName, size: number): PDFKit.PDFDocument {
    return this.#doc.font(font).fontSize(size);
  }
}

function rgb255(color: Rgb): [number, number, number] {
  return [Math.round(color[0] * 255), Math.round(color[1] * 255), Math.round(color[2] * 255)];
}
