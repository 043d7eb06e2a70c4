import { ADDRESS_JSON_SCHEMA, addressToJson, MONEY_JSON_SCHEMA } from "@orderly/contracts/json-schemas";
import { JSON_DATE_TIME, JSON_INTEGER, JSON_STRING, jsonArray, jsonObject } from "@orderly/kit/http";
import type { Invoice, Money } from "../../domain/invoice.ts";

/** JSON Schemas of the HTTP API; fastify validates requests and serializes responses with them. */
export const invoiceSchema = jsonObject(
  {
    id: JSON_STRING,
    number: { type: "string", description: "Gapless per calendar year: INV-2026-000001" },
    order_id: JSON_STRING,
    customer: jsonObject({
      id: JSON_STRING,
      name: JSON_STRING,
      email: JSON_STRING,
      address: ADDRESS_JSON_SCHEMA,
    }),
    currency_code: JSON_STRING,
    lines: jsonArray(
      jsonObject({
        sku: JSON_STRING,
        description: JSON_STRING,
        quantity: JSON_INTEGER,
        unit_price: MONEY_JSON_SCHEMA,
        line_total: MONEY_JSON_SCHEMA,
      }),
    ),
    subtotal: MONEY_JSON_SCHEMA,
    tax_rate_bps: { type: "integer", description: "Basis points: 1900 = 19%" },
    tax: MONEY_JSON_SCHEMA,
    total: MONEY_JSON_SCHEMA,
    status: { type: "string", enum: ["ISSUED", "PAID", "VOID"] },
    issued_at: JSON_DATE_TIME,
    voided_at: { type: "string", format: "date-time", description: "Only on a VOID invoice" },
    void_reason: JSON_STRING,
  },
  { optional: ["voided_at"] },
);

function moneyJson(m: Money) {
  return { currency_code: m.currencyCode, amount_minor: m.amountMinor };
}

/** Domain invoice -> the HTTP API's JSON (snake_case, like the proto fields; amounts as integers). */
export function invoiceToJson(invoice: Invoice) {
  const { customer } = invoice;
  return {
    id: invoice.id,
    number: invoice.number,
    order_id: invoice.orderId,
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      address: addressToJson(customer.address),
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
