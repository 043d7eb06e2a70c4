import { create } from "@bufbuild/protobuf";
import { AddressSchema } from "@orderly/contracts/common";
import { type InvoiceService, InvoiceStatus } from "@orderly/contracts/invoice";
import { fromMoneyMessage, toMoneyMessage } from "@orderly/contracts/money";
import { AppError, Code } from "@orderly/kit/errors";
import type { Client } from "@orderly/kit/grpc";
import type { Address } from "../domain/order.ts";
import type { InvoicePort } from "../domain/ports.ts";

export function toAddressMessage(a: Address) {
  return create(AddressSchema, {
    name: a.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    postalCode: a.postalCode,
    countryCode: a.countryCode,
  });
}

/** InvoicePort over invoice's gRPC API; IssueInvoice is idempotent per order id. */
export class InvoiceAdapter implements InvoicePort {
  readonly #client: Client<typeof InvoiceService>;

  constructor(client: Client<typeof InvoiceService>) {
    this.#client = client;
  }

  async issue(input: Parameters<InvoicePort["issue"]>[0]) {
    const { invoice } = await this.#client.issueInvoice(
      {
        orderId: input.orderId,
        customer: {
          id: input.customer.id,
          name: input.customer.name,
          address: toAddressMessage(input.customer.address),
        },
        currencyCode: input.currency,
        lines: input.lines.map((l) => ({
          sku: l.sku,
          description: l.description,
          quantity: BigInt(l.quantity),
          unitPrice: toMoneyMessage(l.unitPrice),
        })),
      },
      { idempotencyKey: `${input.orderId}:invoice` },
    );
    const subtotal = fromMoneyMessage(invoice?.subtotal);
    const tax = fromMoneyMessage(invoice?.tax);
    const total = fromMoneyMessage(invoice?.total);
    if (!invoice || !subtotal || !tax || !total) {
      throw new AppError({
        code: Code.INTERNAL,
        reason: "INTERNAL",
        message: "invoice answer without totals",
      });
    }
    return { invoiceId: invoice.id, totals: { subtotal, tax, total } };
  }

  async voidForOrder(orderId: string, reason: string): Promise<void> {
    const { invoices } = await this.#client.listInvoices({ orderId, pageSize: 100 });
    for (const invoice of invoices) {
      if (invoice.status === InvoiceStatus.VOID) continue;
      await this.#client.voidInvoice(
        { id: invoice.id, reason },
        { idempotencyKey: `${orderId}:void:${invoice.id}` },
      );
    }
  }
}
