import { FieldViolations, isUuid } from "../field-violations.ts";
import type { Invoice } from "../invoice.ts";
import { decodePageToken, encodePageToken } from "../page-token.ts";
import type { InvoiceRepository } from "../ports/invoice-repository.port.ts";

export interface ListInvoicesInput {
  orderId?: string | undefined;
  customerId?: string | undefined;
  /** 1..100; 0 or absent means DEFAULT_PAGE_SIZE. */
  pageSize?: number | undefined;
  /** "" or absent for the first page. */
  pageToken?: string | undefined;
}

export interface InvoicePage {
  readonly invoices: readonly Invoice[];
  /** "" on the last page. */
  readonly nextPageToken: string;
}

export interface ListInvoicesDeps {
  readonly invoices: InvoiceRepository;
}

export type ListInvoices = (input: ListInvoicesInput) => Promise<InvoicePage>;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/**
 * Invoices of an order and/or a customer (at least one filter), newest first, in keyset pages: a
 * page never repeats or skips an invoice because others were issued meanwhile. A page token is only
 * valid with the filters it was issued for.
 */
export function makeListInvoices(deps: ListInvoicesDeps): ListInvoices {
  return async (input) => {
    const v = new FieldViolations();
    const orderId = v.text("order_id", input.orderId, { required: false, maxLength: 128 });
    const customerId = v.text("customer_id", input.customerId, { required: false, maxLength: 128 });
    if (orderId === "" && customerId === "") v.add("order_id", "order_id or customer_id is required");
    const pageSize = input.pageSize ?? 0;
    if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
      v.add("page_size", `must be between 1 and ${MAX_PAGE_SIZE} (0 means ${DEFAULT_PAGE_SIZE})`);
    }
    let afterId: string | undefined;
    const token = input.pageToken ?? "";
    if (token !== "") {
      const cursor = decodePageToken(token);
      if (cursor === undefined || !isUuid(cursor.afterId)) {
        v.add("page_token", "is not a page token this service issued");
      } else if (cursor.orderId !== orderId || cursor.customerId !== customerId) {
        v.add(
          "page_token",
          "was issued for other filters: repeat the order_id and customer_id of the first page",
        );
      } else {
        afterId = cursor.afterId;
      }
    }
    v.throwIfAny();

    const limit = pageSize === 0 ? DEFAULT_PAGE_SIZE : pageSize;
    // One extra row tells whether another page exists without a count query.
    const rows = await deps.invoices.list({
      orderId: orderId || undefined,
      customerId: customerId || undefined,
      afterId,
      limit: limit + 1,
    });
    const invoices = rows.slice(0, limit);
    const last = invoices.at(-1);
    const nextPageToken =
      rows.length > limit && last !== undefined
        ? encodePageToken({ orderId, customerId, afterId: last.id })
        : "";
    return { invoices, nextPageToken };
  };
}
