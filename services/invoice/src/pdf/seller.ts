import type { PostalAddress } from "./invoice-formatting.ts";

/** The invoicing entity printed at the top of every invoice; comes from config. */
export interface Seller {
  readonly name: string;
  /** Printed like the buyer's: one postal address shape. */
  readonly address: PostalAddress;
  /** VAT / tax registration number, printed as "Tax ID". */
  readonly taxId: string;
  readonly email?: string | undefined;
}
