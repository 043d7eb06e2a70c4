import type { Invoice } from "../invoice.ts";

/** Renders a numbered invoice as its PDF document. */
export interface InvoicePdfRenderer {
  render(invoice: Invoice): Promise<Uint8Array>;
}
