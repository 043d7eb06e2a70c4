import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { toAddressMessage } from "@orderly/contracts/address";
import type { Money as MoneyMessage } from "@orderly/contracts/common";
import {
  type Invoice as InvoiceMessage,
  InvoiceSchema,
  InvoiceStatus as InvoiceStatusMessage,
} from "@orderly/contracts/invoice";
import { toMoneyMessage } from "@orderly/contracts/money";
import type { Invoice, Money } from "../../domain/invoice.ts";

function money(m: Money): MoneyMessage {
  return toMoneyMessage({ currency: m.currencyCode, amountMinor: m.amountMinor });
}

/** Domain invoice -> wire invoice. The one place the invoice's gRPC shape is decided. */
export function toInvoiceMessage(invoice: Invoice): InvoiceMessage {
  const { customer } = invoice;
  const a = customer.address;
  return create(InvoiceSchema, {
    id: invoice.id,
    number: invoice.number,
    orderId: invoice.orderId,
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      address: toAddressMessage(a),
    },
    currencyCode: invoice.currencyCode,
    lines: invoice.lines.map((l) => ({
      sku: l.sku,
      description: l.description,
      quantity: BigInt(l.quantity),
      unitPrice: money(l.unitPrice),
      lineTotal: money(l.lineTotal),
    })),
    subtotal: money(invoice.subtotal),
    taxRateBps: invoice.taxRateBps,
    tax: money(invoice.tax),
    total: money(invoice.total),
    status: InvoiceStatusMessage[invoice.status],
    issuedAt: timestampFromDate(invoice.issuedAt),
    ...(invoice.voidedAt === null ? {} : { voidedAt: timestampFromDate(invoice.voidedAt) }),
    voidReason: invoice.voidReason ?? "",
  });
}
