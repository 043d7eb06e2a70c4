import type { Clock } from "@orderly/kit/domain";
import { AppError } from "@orderly/kit/errors";
import { type Invoice, InvoiceStatus } from "../invoice.ts";
import { InvoiceErrorReason } from "../invoice-error-reason.ts";
import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";
import { makeVoidInvoice } from "./void-invoice.use-case.ts";

export interface VoidInvoiceOfEndedOrderInput {
  orderId: string;
  /** Why, for the invoice's audit trail (`order cancelled: CANCELLED_BY_CUSTOMER`). */
  reason: string;
}

/**
 * What happened: `voided` now; `already-void` (the order saga's compensation voided it first, by
 * RPC, or this event came before); `no-invoice` (the order ended before one was issued); `paid`
 * (money was taken: a refund, not a void, is due, and this reaction does not invent one).
 */
export type VoidOutcome =
  | { kind: "voided"; invoice: Invoice }
  | { kind: "already-void"; invoice: Invoice }
  | { kind: "no-invoice" }
  | { kind: "paid"; invoice: Invoice };

export type VoidInvoiceOfEndedOrder = (input: VoidInvoiceOfEndedOrderInput) => Promise<VoidOutcome>;

export interface VoidInvoiceOfEndedOrderDeps {
  readonly invoices: InvoiceRepository;
  readonly clock: Clock;
}

/**
 * The reaction to an order that ended without being fulfilled (cancelled or failed): its invoice
 * is voided. Idempotent with the saga's own VoidInvoice call and with itself: an invoice already
 * void stays as it is (its first reason and time kept), so either path may come first.
 */
export function makeVoidInvoiceOfEndedOrder(deps: VoidInvoiceOfEndedOrderDeps): VoidInvoiceOfEndedOrder {
  const voidInvoice = makeVoidInvoice(deps);
  return async ({ orderId, reason }) => {
    const current = await deps.invoices.findByOrderId(orderId);
    if (current === undefined) return { kind: "no-invoice" };
    if (current.status === InvoiceStatus.VOID) return { kind: "already-void", invoice: current };
    if (current.status === InvoiceStatus.PAID) return { kind: "paid", invoice: current };
    try {
      return { kind: "voided", invoice: await voidInvoice({ id: current.id, reason }) };
    } catch (error) {
      // Paid between the read and the void: the payment wins, as it does for the RPC.
      if (error instanceof AppError && error.reason === InvoiceErrorReason.INVOICE_PAID) {
        return { kind: "paid", invoice: current };
      }
      throw error;
    }
  };
}
