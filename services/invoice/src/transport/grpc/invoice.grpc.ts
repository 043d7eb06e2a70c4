import type { InvoiceService as InvoiceServiceDesc } from "@orderly/contracts/invoice";
import type { ServiceImplementation } from "@orderly/kit/grpc";
import type { InvoiceApi } from "../../domain/invoice-api.ts";
import { toInvoiceMessage } from "./invoice.message.ts";

/**
 * InvoiceService over gRPC: wire <-> domain, nothing more. Requests go to the domain as they came
 * (int64 as bigint, absent messages as undefined), so every range and presence check happens there,
 * naming the field.
 */
export function invoiceGrpcHandlers(api: InvoiceApi): ServiceImplementation<typeof InvoiceServiceDesc> {
  return {
    async issueInvoice(request) {
      const invoice = await api.issueInvoice({
        orderId: request.orderId,
        customer: request.customer,
        currencyCode: request.currencyCode,
        lines: request.lines,
      });
      return { invoice: toInvoiceMessage(invoice) };
    },
    async getInvoice(request) {
      return { invoice: toInvoiceMessage(await api.getInvoice({ id: request.id })) };
    },
    async listInvoices(request) {
      // The request's fields are the use case's input, name for name: it goes in as it came.
      const page = await api.listInvoices(request);
      return { invoices: page.invoices.map(toInvoiceMessage), nextPageToken: page.nextPageToken };
    },
    async voidInvoice(request) {
      const invoice = await api.voidInvoice({ id: request.id, reason: request.reason });
      return { invoice: toInvoiceMessage(invoice) };
    },
  };
}
