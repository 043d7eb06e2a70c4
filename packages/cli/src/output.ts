import type { Invoice, Item, Money, Order, Shipment } from "@orderly/client";

/** Where a command writes, and whether colour is wanted (a TTY without NO_COLOR). */
export interface Output {
  json: boolean;
  color: boolean;
  out(text: string): void;
  err(text: string): void;
}

const ANSI = { green: 32, yellow: 33, red: 31, cyan: 36, dim: 2, bold: 1 } as const;
type Colour = keyof typeof ANSI;
const ANSI_CODE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

export function paint(output: Output, colour: Colour, text: string): string {
  return output.color ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text;
}

const STATUS_COLOURS: Record<string, Colour> = {
  PENDING: "yellow",
  PICKING: "yellow",
  PACKED: "yellow",
  CONFIRMED: "green",
  SHIPPED: "cyan",
  DELIVERED: "green",
  ISSUED: "green",
  PAID: "green",
  REJECTED: "red",
  FAILED: "red",
  CANCELLED: "red",
  VOID: "red",
};

export function status(output: Output, value: string): string {
  const colour = STATUS_COLOURS[value.trim()];
  return colour ? paint(output, colour, value) : value;
}

/** 2500 EUR minor units -> "25.00 EUR"; the currency's own number of decimals (JPY has none). */
export function formatMoney(money: Money | undefined): string {
  if (!money) return "-";
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency: money.currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
  } catch {
    // An unknown code still prints, with two decimals.
  }
  const negative = money.amountMinor < 0;
  const abs = Math.abs(money.amountMinor);
  const units = Math.floor(abs / 10 ** digits);
  const minor = String(abs % 10 ** digits).padStart(digits, "0");
  return `${negative ? "-" : ""}${units}${digits > 0 ? `.${minor}` : ""} ${money.currency}`;
}

export function formatDate(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "-";
}

/** Stable JSON: Dates as ISO strings, two-space indent unless one line is asked for. */
export function toJson(value: unknown, oneLine = false): string {
  return JSON.stringify(value, null, oneLine ? undefined : 2);
}

/** Plain columns padded to the widest cell; colour codes don't count toward width. */
export function table(output: Output, headers: string[], rows: string[][]): string {
  const visible = (s: string) => s.replace(ANSI_CODE, "").length;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - visible(c))))
      .join("  ")
      .trimEnd();
  return [paint(output, "bold", line(headers)), ...rows.map(line)].join("\n");
}

function fields(output: Output, pairs: [string, string | undefined][]): string {
  const shown = pairs.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== "");
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `  ${paint(output, "dim", k.padEnd(width))}  ${v}`).join("\n");
}

export function orderSummary(output: Output, order: Order): string {
  const a = order.shippingAddress;
  const head = `Order ${paint(output, "bold", order.id)}  ${status(output, order.status)}${order.statusReason ? ` (${order.statusReason})` : ""}`;
  // Names come from inventory's reservation; a PENDING order has none yet.
  const named = order.lines.some((l) => l.name);
  const lines = table(
    output,
    named ? ["SKU", "NAME", "QTY", "UNIT", "TOTAL"] : ["SKU", "QTY", "UNIT", "TOTAL"],
    order.lines.map((l) => [
      l.sku,
      ...(named ? [l.name ?? ""] : []),
      String(l.quantity),
      formatMoney(l.unitPrice),
      formatMoney(l.lineTotal),
    ]),
  )
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return [
    head,
    fields(output, [
      ["customer", order.customerId],
      [
        "ship to",
        a
          ? [a.name, a.line1, a.line2, `${a.postalCode} ${a.city}`, a.countryCode].filter(Boolean).join(", ")
          : undefined,
      ],
      ["subtotal", order.subtotal && formatMoney(order.subtotal)],
      ["tax", order.tax && formatMoney(order.tax)],
      ["total", order.total && formatMoney(order.total)],
      ["invoice", order.invoiceId],
      ["shipment", order.shipmentId],
      ["created", formatDate(order.createdAt)],
      ["updated", formatDate(order.updatedAt)],
    ]),
    "  lines",
    lines,
  ].join("\n");
}

export function ordersTable(output: Output, orders: Order[]): string {
  if (orders.length === 0) return "No orders.";
  return table(
    output,
    ["ID", "STATUS", "TOTAL", "LINES", "CREATED"],
    orders.map((o) => [
      o.id,
      status(output, o.status),
      formatMoney(o.total),
      o.lines.map((l) => `${l.quantity}×${l.sku}`).join(" "),
      formatDate(o.createdAt),
    ]),
  );
}

export function itemsTable(output: Output, items: Item[]): string {
  if (items.length === 0) return "No items.";
  return table(
    output,
    ["SKU", "NAME", "PRICE", "ON HAND", "RESERVED", "AVAILABLE"],
    items.map((i) => [
      i.sku,
      i.name,
      formatMoney(i.unitPrice),
      String(i.onHand),
      String(i.reserved),
      String(i.available),
    ]),
  );
}

export function shipmentSummary(output: Output, shipment: Shipment): string {
  return [
    `Shipment ${paint(output, "bold", shipment.id)}  ${status(output, shipment.status)}`,
    fields(output, [
      ["order", shipment.orderId],
      ["lines", shipment.lines.map((l) => `${l.quantity}×${l.sku}`).join(" ")],
      ["carrier", shipment.carrier],
      ["tracking", shipment.trackingNumber],
      ["updated", formatDate(shipment.updatedAt)],
    ]),
  ].join("\n");
}

export function invoiceSummary(output: Output, invoice: Invoice): string {
  return [
    `Invoice ${paint(output, "bold", invoice.number)}  ${status(output, invoice.status)}`,
    fields(output, [
      ["id", invoice.id],
      ["order", invoice.orderId],
      ["customer", [invoice.customer.name, invoice.customer.id].filter(Boolean).join(" / ")],
      ["subtotal", formatMoney(invoice.subtotal)],
      ["tax", `${formatMoney(invoice.tax)} (${invoice.taxRateBps / 100}%)`],
      ["total", formatMoney(invoice.total)],
      ["issued", formatDate(invoice.issuedAt)],
      ["voided", invoice.voidedAt && `${formatDate(invoice.voidedAt)} ${invoice.voidReason ?? ""}`.trim()],
    ]),
    "  lines",
    table(
      output,
      ["SKU", "DESCRIPTION", "QTY", "UNIT", "TOTAL"],
      invoice.lines.map((l) => [
        l.sku,
        l.description,
        String(l.quantity),
        formatMoney(l.unitPrice),
        formatMoney(l.lineTotal),
      ]),
    )
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n"),
  ].join("\n");
}
