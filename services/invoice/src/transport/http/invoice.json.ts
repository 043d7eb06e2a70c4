import { ADDRESS_JSON_SCHEMA, addressToJson, MONEY_JSON_SCHEMA } from "@orderly/contracts/json-schemas";
import type { Invoice, Money } from "../../domain/invoice.ts";

/** JSON Schemas of the HTTP API; fastify validates requests and serializes responses with them. */
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
        address: ADDRESS_JSON_SCHEMA,
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
          unit_price: MONEY_JSON_SCHEMA,
          line_total: MONEY_JSON_SCHEMA,
        },
        required: ["sku", "description", "quantity", "unit_price", "line_total"],
      },
    },
    subtotal: MONEY_JSON_SCHEMA,
    tax_rate_bps: { type: "integer", description: "Basis points: 1900 = 19%" },
    tax: MONEY_JSON_SCHEMA,
    total: MONEY_JSON_SCHEMA,
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
      address: addressToJson(a),
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
