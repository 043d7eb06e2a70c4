import { addressProblems, orderLinesProblems, textProblem } from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
import type { Address, ShipmentLine } from "../shipment.entity.ts";

export const ORDER_ID_LIMITS = { min: 1, max: 128 } as const;
/**
 * As the order service bounds it. Optional (min 0) while the order service does not send it yet;
 * make it 1 once every CreateShipment carries the customer.
 */
export const CUSTOMER_ID_LIMITS = { min: 0, max: 128 } as const;

export interface ShipmentLineInput {
  readonly sku: string;
  /** gRPC's int64 arrives as a bigint, JSON as a number; the shared rule judges both. */
  readonly quantity: number | bigint;
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
 * snake_case (`lines[1].quantity`, `address.country_code`), by the rules every service shares. Inputs
 * may come from JSON, so types are checked at run time too.
 */
export function validateCreateShipment(input: CreateShipmentInput): ValidCreateShipment {
  const violations = new Violations();
  violations.check("order_id", textProblem(input.orderId, ORDER_ID_LIMITS));
  const customerId = input.customerId ?? "";
  violations.check("customer_id", textProblem(customerId, CUSTOMER_ID_LIMITS));

  for (const [field, problem] of orderLinesProblems(input.lines)) violations.add(field, problem);

  const address = toAddress(input.address);
  if (address === undefined) violations.add("address", "is required");
  else for (const [field, problem] of addressProblems(address, "address")) violations.add(field, problem);

  violations.throwIfAny();
  return {
    orderId: input.orderId,
    customerId,
    lines: input.lines.map((line) => ({ sku: line.sku, quantity: Number(line.quantity) })),
    // Checked above: present and well-formed.
    address: address as Address,
  };
}

function toAddress(input: AddressInput | null | undefined): Address | undefined {
  if (input === undefined || input === null || typeof input !== "object") return undefined;
  return {
    name: input.name,
    line1: input.line1,
    line2: input.line2 ?? "",
    city: input.city,
    postalCode: input.postalCode,
    countryCode: input.countryCode,
  };
}
