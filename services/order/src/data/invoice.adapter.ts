import { toAddressMessage } from "@orderly/contracts/address";
import { type InvoiceService, InvoiceStatus } from "@orderly/contracts/invoice";
import { fromMoneyMessage, toMoneyMessage } from "@orderly/contracts/money";
import { AppError } from "@orderly/kit/errors";
import { OrderReason } from "../domain/order-errors.ts";
import type { InvoicePort, InvoiceRequest, IssueOutcome } from "../domain/ports/invoice.port.ts";
import { PeerAdapter } from "./peer-adapter.ts";
import { peerBroke, peerRefused } from "./peer-answer.ts";

/** InvoicePort over invoice's gRPC API; IssueInvoice is idempotent per order id. */
export class InvoiceAdapter extends PeerAdapter<typeof InvoiceService> implements InvoicePort {
  async issue(request: InvoiceRequest): Promise<IssueOutcome> {
    try {
      const { invoice } = await this.peer.issueInvoice(
        {
          orderId: request.orderId,
          customer: {
            id: request.customer.id,
            name: request.customer.name,
            address: toAddressMessage(request.customer.address),
          },
          currencyCode: request.currency,
          lines: request.lines.map((l) => ({
            sku: l.sku,
            description: l.description,
            quantity: BigInt(l.quantity),
            unitPrice: toMoneyMessage(l.unitPrice),
          })),
        },
        { idempotencyKey: `${request.orderId}:invoice` },
      );
      const subtotal = fromMoneyMessage(invoice?.subtotal);
      const tax = fromMoneyMessage(invoice?.tax);
      const total = fromMoneyMessage(invoice?.total);
      if (!invoice || !subtotal || !tax || !total) throw peerBroke("invoice answer without totals");
      return { kind: "issued", invoiceId: invoice.id, totals: { subtotal, tax, total } };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.reason === "UNSUPPORTED_CURRENCY" || error.reason === "CURRENCY_MISMATCH") {
        return { kind: "rejected", reason: OrderReason.CURRENCY_NOT_ACCEPTED, message: error.message };
      }
      if (peerRefused(error)) {
        return { kind: "rejected", reason: OrderReason.INVOICE_REFUSED, message: error.message };
      }
      throw error;
    }
  }

  async voidForOrder(orderId: string, reason: string): Promise<"voided" | "refused"> {
    const { invoices } = await this.peer.listInvoices({ orderId, pageSize: 100 });
    let refused = false;
    for (const invoice of invoices) {
      if (invoice.status === InvoiceStatus.VOID) continue;
      try {
        await this.peer.voidInvoice(
          { id: invoice.id, reason },
          { idempotencyKey: `${orderId}:void:${invoice.id}` },
        );
      } catch (error) {
        if (!(error instanceof AppError) || error.reason !== "INVOICE_PAID") throw error;
        refused = true;
      }
    }
    return refused ? "refused" : "voided";
  }
}
