import type { Invoice, Money } from "../../domain/invoice.ts";

/** JSON Schemas of the HTTP API; fastify validates requests and serializes responses with them. */
const money = {
  type: "object",
  properties: { currency_code: { type: "string" }, amount_minor: { type: "integer" } },
  required: ["currency_code", "amount_minor"],
} as const;

const address = {
  type: "object",
  properties: {
    name: { type: "string" },
    line1: { type: "string" },
    line2: { type: "string" },
    city: { type: "string" },
    postal_code: { type: "string" },
    country_code: { type: "string" },
  },
  required: ["name", "line1", "line2", "city", "postal_code", "country_code"],
} as const;

export const invoiceSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    number: { type: "string", description: "Gapless per calendar year: INV-2026-000001" },
    order_id: { type: "string" },
    customer: {
      type: "object",
      properties: {
        id: { type: "string" },
        name: { type: "string" },
        email: { type: "string" },
        address,
      },
      required: ["id", "name", "email", "address"],
    },
    currency_code: { type: "string" },
    lines: {
      type: "array",
      items: {
        type: "object",
        properties: {
          sku: { type: "string" },
          description: { type: "string" },
          quantity: { type: "integer" },
          unit_price: money,
          line_total: money,
        },
        required: ["sku", "description", "quantity", "unit_price", "line_total"],
      },
    },
    subtotal: money,
    tax_rate_bps: { type: "integer", description: "Basis points: 1900 = 19%" },
    tax: money,
    total: money,
    status: { type: "string", enum: ["ISSUED", "PAID", "VOID"] },
    issued_at: { type: "string", format: "date-time" },
    voided_at: { type: "string", format: "date-time", description: "Only on a VOID invoice" },
    void_reason: { type: "string" },
  },
  required: [
    "id",
    "number",
    "order_id",
    "customer",
    "currency_code",
    "lines",
    "subtotal",
    "tax_rate_bps",
    "tax",
    "total",
    "status",
    "issued_at",
    "void_reason",
  ],
} as const;

function moneyJson(m: Money) {
  return { currency_code: m.currencyCode, amount_minor: m.amountMinor };
}

/** Domain invoice -> the HTTP API's JSON (snake_case, like the proto fields; amounts as integers). */
export function invoiceToJson(invoice: Invoice) {
  const { customer } = invoice;
  const a = customer.address;
  return {
    id: invoice.id,
    number: invoice.number,
    order_id: invoice.orderId,
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      address: {
        name: a.name,
        line1: a.line1,
        line2: a.line2,
        city: a.city,
        postal_code: a.postalCode,
        country_code: a.countryCode,
      },
    },
    currency_code: invoice.currencyCode,
    lines: invoice.lines.map((l) => ({
      sku: l.sku,
      description: l.description,
      quantity: l.quantity,
      unit_price: moneyJson(l.unitPrice),
      line_total: moneyJson(l.lineTotal),
    })),
    subtotal: moneyJson(invoice.subtotal),
    tax_rate_bps: invoice.taxRateBps,
    tax: moneyJson(invoice.tax),
    total: moneyJson(invoice.total),
    status: invoice.status,
    issued_at: invoice.issuedAt.toISOString(),
    ...(invoice.voidedAt === null ? {} : { voided_at: invoice.voidedAt.toISOString() }),
    void_reason: invoice.voidReason ?? "",
  };
}
