import { isIsoCurrencyCode } from "./currency.ts";
import { FieldViolations } from "./field-violations.ts";
import type { Address, Customer } from "./invoice.ts";
import { currencyMismatch } from "./invoice-errors.ts";
import type { PricedLine } from "./invoice-totals.ts";

/*
 * What IssueInvoice accepts: plain objects shaped like the proto request (camelCase), with int64
 * fields as number or bigint so the transport can pass protobuf-es bigints straight through and
 * range checks stay here, naming the field. Absent optional strings may be "" or undefined.
 */

export interface MoneyInput {
  currencyCode: string;
  amountMinor: number | bigint;
}

export interface AddressInput {
  name?: string | undefined;
  line1?: string | undefined;
  line2?: string | undefined;
  city?: string | undefined;
  postalCode?: string | undefined;
  countryCode?: string | undefined;
}

export interface CustomerInput {
  id?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  address?: AddressInput | undefined;
}

export interface InvoiceLineInput {
  sku?: string | undefined;
  description?: string | undefined;
  quantity?: number | bigint | undefined;
  unitPrice?: MoneyInput | undefined;
}

export interface IssueInvoiceInput {
  orderId?: string | undefined;
  customer?: CustomerInput | undefined;
  currencyCode?: string | undefined;
  lines?: readonly InvoiceLineInput[] | undefined;
}

/** A request that passed validation: trimmed, complete, amounts as safe integers. */
export interface IssueInvoiceCommand {
  readonly orderId: string;
  readonly customer: Customer;
  readonly currencyCode: string;
  readonly lines: readonly PricedLine[];
}

export const MAX_LINES = 500;
const ID = { required: true, maxLength: 128 };
const NAME = { required: false, maxLength: 200 };
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const COUNTRY = /^[A-Z]{2}$/;
const NO_ADDRESS: Address = { name: "", line1: "", line2: "", city: "", postalCode: "", countryCode: "" };

/**
 * Validates and normalises an IssueInvoice request. Throws INVALID_ARGUMENT VALIDATION_FAILED naming
 * every bad field; once the request is well formed, a line priced in another currency than the
 * invoice throws INVALID_ARGUMENT with reason CURRENCY_MISMATCH (see the service README: it is bad
 * input, so the code is INVALID_ARGUMENT, and the proto's specific reason tells the caller why).
 */
export function parseIssueInvoiceInput(input: IssueInvoiceInput): IssueInvoiceCommand {
  const v = new FieldViolations();
  const orderId = v.text("order_id", input.orderId, ID);
  const customer = parseCustomer(v, input.customer);
  const currencyCode = parseCurrency(v, "currency_code", input.currencyCode);
  const lineInputs = input.lines ?? [];
  if (lineInputs.length === 0) v.add("lines", "at least one line is required");
  if (lineInputs.length > MAX_LINES) v.add("lines", `at most ${MAX_LINES} lines are allowed`);
  const lines = lineInputs.slice(0, MAX_LINES).map((line, index) => parseLine(v, `lines[${index}]`, line));
  v.throwIfAny();

  const mismatches = lines.flatMap((line, index) =>
    line.currencyCode === currencyCode
      ? []
      : [
          {
            field: `lines[${index}].unit_price.currency_code`,
            description: `is ${line.currencyCode}, but the invoice is in ${currencyCode}`,
          },
        ],
  );
  if (mismatches.length > 0) throw currencyMismatch(mismatches);
  return { orderId, customer, currencyCode, lines: lines.map(({ currencyCode: _, ...line }) => line) };
}

function parseCustomer(v: FieldViolations, input: CustomerInput | undefined): Customer {
  if (input === undefined) {
    v.add("customer", "is required");
    return { id: "", name: "", email: "", address: NO_ADDRESS };
  }
  const id = v.text("customer.id", input.id, ID);
  const givenName = v.text("customer.name", input.name, NAME);
  const email = v.text("customer.email", input.email, { required: false, maxLength: 254 });
  if (email !== "" && !EMAIL.test(email)) v.add("customer.email", "must be an email address");
  if (input.address === undefined) v.add("customer.address", "is required");
  const address =
    input.address === undefined ? NO_ADDRESS : parseAddress(v, "customer.address", input.address);
  // Orders know a shipping address, not a customer name: the address's name is a fine buyer name.
  const name = givenName || address.name;
  if (name === "") v.add("customer.name", "is required (or customer.address.name)");
  return { id, name, email, address };
}

function parseAddress(v: FieldViolations, path: string, input: AddressInput): Address {
  const countryCode = v.text(`${path}.country_code`, input.countryCode, { required: true, maxLength: 2 });
  if (countryCode !== "" && !COUNTRY.test(countryCode)) {
    v.add(`${path}.country_code`, "must be an ISO 3166-1 alpha-2 code in upper case");
  }
  return {
    name: v.text(`${path}.name`, input.name, NAME),
    line1: v.text(`${path}.line1`, input.line1, { required: true, maxLength: 200 }),
    line2: v.text(`${path}.line2`, input.line2, { required: false, maxLength: 200 }),
    city: v.text(`${path}.city`, input.city, { required: true, maxLength: 100 }),
    postalCode: v.text(`${path}.postal_code`, input.postalCode, { required: false, maxLength: 20 }),
    countryCode,
  };
}

function parseCurrency(v: FieldViolations, field: string, value: string | undefined): string {
  const code = (value ?? "").trim();
  if (code === "") v.add(field, "is required");
  else if (!isIsoCurrencyCode(code)) v.add(field, "must be an ISO 4217 currency code in upper case");
  return code;
}

function parseLine(
  v: FieldViolations,
  path: string,
  input: InvoiceLineInput,
): PricedLine & { currencyCode: string } {
  const sku = v.text(`${path}.sku`, input.sku, { required: true, maxLength: 64 });
  const description = v.text(`${path}.description`, input.description, { required: false, maxLength: 500 });
  const quantity = v.integer(`${path}.quantity`, input.quantity, 1);
  if (input.unitPrice === undefined) {
    v.add(`${path}.unit_price`, "is required");
    return { sku, description, quantity, unitPriceMinor: 0, currencyCode: "" };
  }
  const currencyCode = parseCurrency(v, `${path}.unit_price.currency_code`, input.unitPrice.currencyCode);
  const unitPriceMinor = v.integer(`${path}.unit_price.amount_minor`, input.unitPrice.amountMinor, 0);
  return { sku, description, quantity, unitPriceMinor, currencyCode };
}
