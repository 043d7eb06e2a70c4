import {
  ADDRESS_LIMITS,
  countryCodeProblem,
  lineCountProblem,
  lineQuantityProblem,
  skuProblem,
} from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
import { isIsoCurrencyCode } from "./currency.ts";
import type { Address, Customer } from "./invoice.ts";
import { currencyMismatch } from "./invoice-errors.ts";
import type { PricedLine } from "./invoice-totals.ts";
import { readInteger, readText } from "./request-fields.ts";

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

const ID = { min: 1, max: 128 };
const EMAIL = /^[^\s@]+@[^\s@]+$/;
// The shared address limits, except that name and postal code are optional here: the buyer's name
// may come from customer.name, and not every country has postal codes.
const OPTIONAL = (limits: { max: number }) => ({ min: 0, max: limits.max });
const NO_ADDRESS: Address = { name: "", line1: "", line2: "", city: "", postalCode: "", countryCode: "" };

/**
 * Validates and normalises an IssueInvoice request. Throws INVALID_ARGUMENT VALIDATION_FAILED naming
 * every bad field; once the request is well formed, a line priced in another currency than the
 * invoice throws INVALID_ARGUMENT with reason CURRENCY_MISMATCH (see the service README: it is bad
 * input, so the code is INVALID_ARGUMENT, and the proto's specific reason tells the caller why).
 */
export function parseIssueInvoiceInput(input: IssueInvoiceInput): IssueInvoiceCommand {
  const v = new Violations();
  const orderId = readText(v, "order_id", input.orderId, ID);
  const customer = parseCustomer(v, input.customer);
  const currencyCode = parseCurrency(v, "currency_code", input.currencyCode);
  const lineInputs = input.lines ?? [];
  const countOk = v.check("lines", lineCountProblem(lineInputs));
  // Beyond the limit the lines are not read: one problem, not hundreds.
  const lines = (countOk || lineInputs.length === 0 ? lineInputs : []).map((line, index) =>
    parseLine(v, `lines[${index}]`, line),
  );
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

function parseCustomer(v: Violations, input: CustomerInput | undefined): Customer {
  if (input === undefined) {
    v.add("customer", "is required");
    return { id: "", name: "", email: "", address: NO_ADDRESS };
  }
  const id = readText(v, "customer.id", input.id, ID);
  const problemsBefore = v.list.length;
  const givenName = readText(v, "customer.name", input.name, OPTIONAL(ADDRESS_LIMITS.name));
  const nameRejected = v.list.length > problemsBefore;
  const email = readText(v, "customer.email", input.email, { min: 0, max: 254 });
  if (email !== "" && !EMAIL.test(email)) v.add("customer.email", "must be an email address");
  if (input.address === undefined) v.add("customer.address", "is required");
  const address =
    input.address === undefined ? NO_ADDRESS : parseAddress(v, "customer.address", input.address);
  // Orders know a shipping address, not a customer name: the address's name is a fine buyer name.
  const name = givenName || address.name;
  if (name === "" && !nameRejected) v.add("customer.name", "is required (or customer.address.name)");
  return { id, name, email, address };
}

function parseAddress(v: Violations, path: string, input: AddressInput): Address {
  const countryCode = (input.countryCode ?? "").trim();
  // Assigned ISO 3166-1 alpha-2 codes only: the tax rules and the PDF's country name depend on it.
  const countryOk = v.check(`${path}.country_code`, countryCodeProblem(countryCode));
  return {
    name: readText(v, `${path}.name`, input.name, OPTIONAL(ADDRESS_LIMITS.name)),
    line1: readText(v, `${path}.line1`, input.line1, ADDRESS_LIMITS.line1),
    line2: readText(v, `${path}.line2`, input.line2, ADDRESS_LIMITS.line2),
    city: readText(v, `${path}.city`, input.city, ADDRESS_LIMITS.city),
    postalCode: readText(v, `${path}.postal_code`, input.postalCode, OPTIONAL(ADDRESS_LIMITS.postal_code)),
    countryCode: countryOk ? countryCode : "",
  };
}

function parseCurrency(v: Violations, field: string, value: string | undefined): string {
  const code = (value ?? "").trim();
  if (code === "") v.add(field, "is required");
  else if (!isIsoCurrencyCode(code)) v.add(field, "must be an ISO 4217 currency code in upper case");
  return code;
}

function parseLine(
  v: Violations,
  path: string,
  input: InvoiceLineInput,
): PricedLine & { currencyCode: string } {
  const sku = (input.sku ?? "").trim();
  v.check(`${path}.sku`, skuProblem(sku));
  const description = readText(v, `${path}.description`, input.description, { min: 0, max: 500 });
  const quantityOk = v.check(`${path}.quantity`, lineQuantityProblem(input.quantity));
  const quantity = quantityOk ? Number(input.quantity) : 0;
  if (input.unitPrice === undefined) {
    v.add(`${path}.unit_price`, "is required");
    return { sku, description, quantity, unitPriceMinor: 0, currencyCode: "" };
  }
  const currencyCode = parseCurrency(v, `${path}.unit_price.currency_code`, input.unitPrice.currencyCode);
  const unitPriceMinor = readInteger(v, `${path}.unit_price.amount_minor`, input.unitPrice.amountMinor, 0);
  return { sku, description, quantity, unitPriceMinor, currencyCode };
}
