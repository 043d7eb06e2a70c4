import type { Money } from "../money.ts";
import type { Address, OrderTotals } from "../order.ts";
import type { OrderReason } from "../order-errors.ts";

export interface InvoiceRequest {
  orderId: string;
  customer: { id: string; name: string; address: Address };
  currency: string;
  lines: { sku: string; description: string; quantity: number; unitPrice: Money }[];
}

export type IssueOutcome =
  | { kind: "issued"; invoiceId: string; totals: OrderTotals }
  | {
      kind: "rejected";
      reason: typeof OrderReason.CURRENCY_NOT_ACCEPTED | typeof OrderReason.INVOICE_REFUSED;
      message: string;
    };

/** Invoicing as the order saga needs it. Throws a transient AppError when invoice cannot answer. */
export interface InvoicePort {
  /** Idempotent per order id. */
  issue(request: InvoiceRequest): Promise<IssueOutcome>;
  /** Voids every live invoice of the order; idempotent, none is fine; "refused" when one cannot be voided (paid). */
  voidForOrder(orderId: string, reason: string): Promise<"voided" | "refused">;
}
