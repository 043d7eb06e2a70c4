import { isCountryCode, textProblem } from "@orderly/contracts/rules";
import type { Address, ShipmentLine } from "../shipment.entity.ts";
import { charLength, isFilled, Violations } from "./violations.ts";

export const MAX_ORDER_ID_LENGTH = 128;
/**
 * As the order service bounds it. Optional (min 0) while the order service does not send it yet;
 * make it 1 once every CreateShipment carries the customer.
 */
export const CUSTOMER_ID_LIMITS = { min: 0, max: 128 } as const;
const SKU = /^[A-Z0-9-]{1,64}$/;

export interface ShipmentLineInput {
  readonly sku: string;
  readonly quantity: number;
}

export interface AddressInput {
  readonly name: string;
  readonly line1: string;
  readonly line2?: string;
  readonly city: string;
  readonly postalCode: string;
  readonly countryCode: string;
}

export interface CreateShipmentInput {
  readonly orderId: string;
  /** Absent or "": no customer. */
  readonly customerId?: string;
  readonly lines: readonly ShipmentLineInput[];
  /** Absent when the request carried no address at all. */
  readonly address?: AddressInput | undefined;
}

export interface ValidCreateShipment {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly ShipmentLine[];
  readonly address: Address;
}

/**
 * The request as the domain keeps it, or INVALID_ARGUMENT naming every offending field in the proto's
 * snake_case (`lines[1].quantity`, `address.country_code`). Inputs may come from JSON, so types are
 * checked at run time too.
 */
export function validateCreateShipment(input: CreateShipmentInput): ValidCreateShipment {
  const violations = new Violations();

  if (!isFilled(input.orderId)) violations.add("order_id", "is required");
  else if (charLength(input.orderId) > MAX_ORDER_ID_LENGTH)
    violations.add("order_id", `must be at most ${MAX_ORDER_ID_LENGTH} characters`);

  const customerId = input.customerId ?? "";
  const customerProblem = textProblem(customerId, CUSTOMER_ID_LIMITS);
  if (customerProblem !== undefined) violations.add("customer_id", customerProblem);

  if (!Array.isArray(input.lines) || input.lines.length === 0) {
    violations.add("lines", "must not be empty");
  } else {
    for (const [i, line] of input.lines.entries()) checkLine(line, `lines[${i}]`, violations);
  }

  const address = input.address;
  if (address === undefined || address === null || typeof address !== "object")
    violations.add("address", "is required");
  else checkAddress(address, violations);

  violations.throwIfAny();
  // Checked above: every field below is present and well-formed.
  const valid = address as AddressInput;
  return {
    orderId: input.orderId,
    customerId,
    lines: input.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    address: {
      name: valid.name,
      line1: valid.line1,
      line2: valid.line2 ?? "",
      city: valid.city,
      postalCode: valid.postalCode,
      countryCode: valid.countryCode,
    },
  };
}

function checkLine(line: ShipmentLineInput | null | undefined, at: string, violations: Violations): void {
  if (typeof line?.sku !== "string" || !SKU.test(line.sku))
    violations.add(`${at}.sku`, "must be 1 to 64 characters of A-Z, 0-9 and '-'");
  if (typeof line?.quantity !== "number" || !Number.isSafeInteger(line.quantity) || line.quantity < 1)
    violations.add(`${at}.quantity`, "must be a whole number of at least 1");
}

function checkAddress(address: AddressInput, violations: Violations): void {
  const required = [
    ["name", address.name],
    ["line1", address.line1],
    ["city", address.city],
    ["postal_code", address.postalCode],
  ] as const;
  for (const [field, value] of required) {
    if (!isFilled(value)) violations.add(`address.${field}`, "is required");
  }
  if (address.line2 !== undefined && typeof address.line2 !== "string")
    violations.add("address.line2", "must be a string");

  if (!isFilled(address.countryCode)) violations.add("address.country_code", "is required");
  else if (!isCountryCode(address.countryCode))
    violations.add("address.country_code", "must be an ISO 3166-1 alpha-2 code in upper case (US, DE, JP)");
}
