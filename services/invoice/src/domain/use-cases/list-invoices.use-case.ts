import { decodePageToken, encodePageToken, isUuid, resolvePageSize, Violations } from "@orderly/kit/domain";
import type { Invoice } from "../invoice.ts";
import type { InvoiceReadDeps } from "../ports/invoice-repository.port.ts";
import { readText } from "../request-fields.ts";

/** What a page token of this list carries: the filters it was issued for and the last id shown. */
interface Cursor {
  o: string;
  c: string;
  a: string;
}
const LIST = "invoices";
const isCursor = (
  body: Readonly<Record<string, unknown>>,
): body is Readonly<Record<string, unknown>> & Cursor =>
  typeof body.o === "string" && typeof body.c === "string" && isUuid(body.a);

export interface ListInvoicesInput {
  orderId?: string | undefined;
  customerId?: string | undefined;
  /** 1..100; 0 or absent means DEFAULT_PAGE_SIZE (50). */
  pageSize?: number | undefined;
  /** "" or absent for the first page. */
  pageToken?: string | undefined;
}

export interface InvoicePage {
  readonly invoices: readonly Invoice[];
  /** "" on the last page. */
  readonly nextPageToken: string;
}

export type ListInvoices = (input: ListInvoicesInput) => Promise<InvoicePage>;

/**
 * Invoices of an order and/or a customer (at least one filter), newest first, in keyset pages: a
 * page never repeats or skips an invoice because others were issued meanwhile. A page token is only
 * valid with the filters it was issued for.
 */
export function makeListInvoices(deps: InvoiceReadDeps): ListInvoices {
  return async (input) => {
    const v = new Violations();
    const orderId = readText(v, "order_id", input.orderId, { min: 0, max: 128 });
    const customerId = readText(v, "customer_id", input.customerId, { min: 0, max: 128 });
    if (orderId === "" && customerId === "" && v.isEmpty) {
      v.add("order_id", "order_id or customer_id is required");
    }
    const limit = resolvePageSize(input.pageSize, v);
    const cursor = decodePageToken(LIST, input.pageToken, isCursor, v);
    if (cursor !== undefined && (cursor.o !== orderId || cursor.c !== customerId)) {
      v.add(
        "page_token",
        "was issued for other filters: repeat the order_id and customer_id of the first page",
      );
    }
    v.throwIfAny();

    // One extra row tells whether another page exists without a count query.
    const rows = await deps.invoices.list({
      orderId: orderId || undefined,
      customerId: customerId || undefined,
      afterId: cursor?.a,
      limit: limit + 1,
    });
    const invoices = rows.slice(0, limit);
    const last = invoices.at(-1);
    const nextPageToken =
      rows.length > limit && last !== undefined
        ? encodePageToken(LIST, { o: orderId, c: customerId, a: last.id })
        : "";
    return { invoices, nextPageToken };
  };
}
