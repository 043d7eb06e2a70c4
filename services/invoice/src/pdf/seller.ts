/** The invoicing entity printed at the top of every invoice; comes from config. */
export interface Seller {
  readonly name: string;
  readonly address: SellerAddress;
  /** VAT / tax registration number, printed as "Tax ID". */
  readonly taxId: string;
  readonly email?: string | undefined;
}

export interface SellerAddress {
  readonly line1: string;
  readonly line2?: string | undefined;
  readonly city: string;
  readonly postalCode?: string | undefined;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode: string;
}
