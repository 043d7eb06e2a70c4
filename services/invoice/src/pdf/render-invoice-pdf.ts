import type { Invoice, InvoiceLine } from "../domain/invoice.ts";
import type { InvoiceFonts, Weight } from "./invoice-fonts.ts";
import {
  addressLines,
  formatDate,
  formatMoney,
  formatQuantity,
  formatTaxRate,
} from "./invoice-formatting.ts";
import { PdfCanvas, type Rgb, type TextStyle } from "./pdf-canvas.ts";
import type { Seller } from "./seller.ts";
import { fittingSize, type Measure, wrapText } from "./text-wrap.ts";

// A4 in points; y grows downward from the top edge (see pdf-canvas.ts).
const PAGE_HEIGHT = 841.89;
const LEFT = 50;
const RIGHT = 545.28;
const CONTENT_BOTTOM = PAGE_HEIGHT - 66;
const FOOTER_BASELINE = PAGE_HEIGHT - 36;

const INK: Rgb = [0.11, 0.12, 0.14];
const MUTED: Rgb = [0.42, 0.44, 0.48];
const RULE: Rgb = [0.8, 0.82, 0.85];
const HEADER_FILL: Rgb = [0.94, 0.95, 0.96];
const ALERT: Rgb = [0.75, 0.1, 0.1];
const STAMP: Rgb = [0.98, 0.84, 0.84];

const ROW_SIZE = 9;
const ROW_LEADING = 11;
const ROW_PADDING = 5;
const TABLE_HEADER_HEIGHT = 18;
const TOTALS_HEIGHT = 64;

type Align = "left" | "right";
interface Column {
  title: string;
  x: number;
  width: number;
  align: Align;
}
// Cells sit 4pt inside the shaded header band on both sides.
const SKU: Column = { title: "SKU", x: LEFT + 4, width: 88, align: "left" };
const DESCRIPTION: Column = { title: "Description", x: 146, width: 190, align: "left" };
const QUANTITY: Column = { title: "Qty", x: 340, width: 35, align: "right" };
const UNIT_PRICE: Column = { title: "Unit price", x: 381, width: 80, align: "right" };
const LINE_TOTAL: Column = { title: "Amount", x: RIGHT - 84, width: 80, align: "right" };
const COLUMNS = [SKU, DESCRIPTION, QUANTITY, UNIT_PRICE, LINE_TOTAL];

const STATUS_LABEL = { ISSUED: "Issued", PAID: "Paid", VOID: "Void" } as const;

/**
 * The invoice as a PDF a customer (and an accountant) would accept: seller with tax id, buyer,
 * number, issue date, order, a table of lines that flows over as many pages as it needs (header
 * repeated), subtotal, tax with its rate, total, amounts in the currency's minor digits, a VOID
 * stamp on every page of a void invoice, and "page x of y" footers. Text is set in DejaVu Sans
 * (Latin, Greek, Cyrillic…) with the configured fallback font for what DejaVu lacks (CJK).
 */
export async function renderInvoicePdf(
  invoice: Invoice,
  seller: Seller,
  fonts: InvoiceFonts,
): Promise<Uint8Array> {
  const canvas = new PdfCanvas(fonts, {
    title: `Invoice ${invoice.number}`,
    author: seller.name,
    subject: `Invoice ${invoice.number} for order ${invoice.orderId}`,
    created: invoice.issuedAt,
  });
  new InvoiceLayout(invoice, seller, canvas).render();
  return canvas.toBytes();
}

class InvoiceLayout {
  readonly #canvas: PdfCanvas;
  readonly #invoice: Invoice;
  readonly #seller: Seller;
  #y = 0;

  constructor(invoice: Invoice, seller: Seller, canvas: PdfCanvas) {
    this.#invoice = invoice;
    this.#seller = seller;
    this.#canvas = canvas;
    this.#newPage();
  }

  #measure(weight: Weight): Measure {
    return (text, size) => this.#canvas.measure(text, weight, size);
  }

  #money(amountMinor: number): string {
    return formatMoney(amountMinor, this.#invoice.currencyCode, (text) => this.#canvas.canDraw(text));
  }

  render(): void {
    this.#header();
    this.#tableHeader();
    for (const line of this.#invoice.lines) this.#row(line);
    const voidNote = this.#voidNoteLines();
    if (this.#y + TOTALS_HEIGHT + voidNote.length * 12 > CONTENT_BOTTOM) this.#continue(false);
    this.#totals();
    this.#voidNote(voidNote);
    this.#footers();
  }

  #newPage(): void {
    this.#canvas.addPage();
    // Drawn first, so everything else prints over it.
    if (this.#invoice.status === "VOID") stamp(this.#canvas, "VOID");
    this.#y = 50;
  }

  #text(x: number, y: number, text: string, style: TextStyle, align: Align = "left", width = 0): void {
    const start = align === "right" ? x + width - this.#canvas.measure(text, style.weight, style.size) : x;
    this.#canvas.text(start, y, text, { color: INK, ...style });
  }

  /** Left-aligned lines, one under the other. */
  #stack(x: number, firstBaseline: number, lines: readonly string[], style: TextStyle, leading = 12): void {
    for (const [i, line] of lines.entries()) this.#text(x, firstBaseline + i * leading, line, style);
  }

  #header(): void {
    const { number, issuedAt, orderId, status } = this.#invoice;
    const seller = this.#seller;
    this.#text(LEFT, 66, seller.name, { weight: "bold", size: 15 });
    const sellerLines = [
      ...addressLines(seller.address),
      `Tax ID: ${seller.taxId}`,
      ...(seller.email ? [seller.email] : []),
    ];
    this.#stack(LEFT, 82, sellerLines, { weight: "regular", size: 9, color: MUTED });
    this.#text(RIGHT - 200, 70, "INVOICE", { weight: "bold", size: 24 }, "right", 200);
    if (status === "VOID")
      this.#text(RIGHT - 200, 90, "VOID", { weight: "bold", size: 13, color: ALERT }, "right", 200);

    this.#y = Math.max(82 + (sellerLines.length - 1) * 12, 90) + 16;
    this.#canvas.line(LEFT, this.#y, RIGHT, this.#y, 0.75, RULE);

    const details: Array<[string, string, number, number]> = [
      ["INVOICE NUMBER", number, LEFT, 115],
      ["ISSUE DATE", formatDate(issuedAt), 170, 90],
      ["ORDER", orderId, 265, 200],
      ["STATUS", STATUS_LABEL[status], 470, RIGHT - 470],
    ];
    for (const [label, value, x, width] of details) {
      this.#text(x, this.#y + 16, label, { weight: "regular", size: 7.5, color: MUTED });
      const size = fittingSize(value, this.#measure("bold"), 10, width);
      this.#text(x, this.#y + 30, value, {
        weight: "bold",
        size,
        ...(value === "Void" ? { color: ALERT } : {}),
      });
    }

    this.#y += 56;
    const { customer } = this.#invoice;
    this.#text(LEFT, this.#y, "BILL TO", { weight: "regular", size: 7.5, color: MUTED });
    const buyer = [
      ...(customer.address.name !== "" && customer.address.name !== customer.name
        ? [customer.address.name]
        : []),
      ...addressLines(customer.address),
      ...(customer.email !== "" ? [customer.email] : []),
    ];
    this.#text(LEFT, this.#y + 14, customer.name, { weight: "bold", size: 10 });
    this.#stack(LEFT, this.#y + 27, buyer, { weight: "regular", size: 9 });
    this.#y += 27 + buyer.length * 12 + 14;
  }

  /** A new page for the rest of the table (or the totals), with a short header naming the invoice. */
  #continue(withTableHeader: boolean): void {
    this.#newPage();
    this.#text(LEFT, 62, this.#seller.name, { weight: "bold", size: 10 });
    const title = `Invoice ${this.#invoice.number} (continued)`;
    this.#text(RIGHT - 250, 62, title, { weight: "regular", size: 9, color: MUTED }, "right", 250);
    this.#canvas.line(LEFT, 72, RIGHT, 72, 0.75, RULE);
    this.#y = 86;
    if (withTableHeader) this.#tableHeader();
  }

  #tableHeader(): void {
    this.#canvas.fillRect(LEFT, this.#y, RIGHT - LEFT, TABLE_HEADER_HEIGHT, HEADER_FILL);
    for (const column of COLUMNS) {
      this.#text(
        column.x,
        this.#y + 12,
        column.title,
        { weight: "bold", size: 8 },
        column.align,
        column.width,
      );
    }
    this.#y += TABLE_HEADER_HEIGHT;
  }

  #row(line: InvoiceLine): void {
    const regular = this.#measure("regular");
    const sku = wrapText(line.sku, regular, ROW_SIZE, SKU.width);
    const description = wrapText(line.description, regular, ROW_SIZE, DESCRIPTION.width);
    const height = 2 * ROW_PADDING + Math.max(sku.length, description.length) * ROW_LEADING;
    if (this.#y + height > CONTENT_BOTTOM) this.#continue(true);

    const baseline = this.#y + ROW_PADDING + 8;
    const cell = (column: Column, lines: string[]) =>
      lines.forEach((text, i) => {
        const size = column.align === "right" ? fittingSize(text, regular, ROW_SIZE, column.width) : ROW_SIZE;
        this.#text(
          column.x,
          baseline + i * ROW_LEADING,
          text,
          { weight: "regular", size },
          column.align,
          column.width,
        );
      });
    cell(SKU, sku);
    cell(DESCRIPTION, description);
    cell(QUANTITY, [formatQuantity(line.quantity)]);
    cell(UNIT_PRICE, [this.#money(line.unitPrice.amountMinor)]);
    cell(LINE_TOTAL, [this.#money(line.lineTotal.amountMinor)]);
    this.#y += height;
    this.#canvas.line(LEFT, this.#y, RIGHT, this.#y, 0.5, RULE);
  }

  #totals(): void {
    const { subtotal, tax, total, taxRateBps, currencyCode } = this.#invoice;
    const labelX = 340;
    const amountsRight = LINE_TOTAL.x + LINE_TOTAL.width; // in line with the Amount column
    const amount = (value: number, y: number, bold: boolean) => {
      const text = this.#money(value);
      const measure = this.#measure(bold ? "bold" : "regular");
      const size = fittingSize(text, measure, bold ? 11 : 9, amountsRight - labelX - 60);
      this.#text(
        labelX,
        y,
        text,
        { weight: bold ? "bold" : "regular", size },
        "right",
        amountsRight - labelX,
      );
    };
    let y = this.#y + 18;
    this.#text(labelX, y, "Subtotal", { weight: "regular", size: 9 });
    amount(subtotal.amountMinor, y, false);
    y += 14;
    this.#text(labelX, y, `Tax (${formatTaxRate(taxRateBps)})`, { weight: "regular", size: 9 });
    amount(tax.amountMinor, y, false);
    y += 8;
    this.#canvas.line(labelX, y, RIGHT, y, 0.75, INK);
    y += 16;
    this.#text(labelX, y, `Total (${currencyCode})`, { weight: "bold", size: 11 });
    amount(total.amountMinor, y, true);
    this.#y = y + 10;
  }

  #voidNoteLines(): string[] {
    const { status, voidedAt, voidReason } = this.#invoice;
    if (status !== "VOID") return [];
    const when = voidedAt === null ? "" : ` on ${formatDate(voidedAt)}`;
    const text = `This invoice was voided${when} and is not payable. Reason: ${voidReason ?? "not given"}`;
    return wrapText(text, this.#measure("regular"), 9, RIGHT - LEFT);
  }

  #voidNote(lines: string[]): void {
    this.#stack(LEFT, this.#y + 14, lines, { weight: "regular", size: 9, color: ALERT });
  }

  #footers(): void {
    const left = `${this.#seller.name} · Tax ID ${this.#seller.taxId}`;
    const pages = this.#canvas.pageCount;
    for (let i = 0; i < pages; i++) {
      this.#canvas.switchToPage(i);
      this.#canvas.line(LEFT, FOOTER_BASELINE - 12, RIGHT, FOOTER_BASELINE - 12, 0.5, RULE);
      this.#text(LEFT, FOOTER_BASELINE, left, { weight: "regular", size: 7.5, color: MUTED });
      const right = `${this.#invoice.number} · Page ${i + 1} of ${pages}`;
      this.#text(
        RIGHT - 200,
        FOOTER_BASELINE,
        right,
        { weight: "regular", size: 7.5, color: MUTED },
        "right",
        200,
      );
    }
  }
}

/** Large, light, diagonal text across the middle of the page. */
function stamp(canvas: PdfCanvas, word: string): void {
  const size = 130;
  // DejaVu Sans Bold's cap height is 0.729 em: centring uses the letters' visible height.
  canvas.stamp(word, { weight: "bold", size, color: STAMP }, 35, 0.729 * size);
}
