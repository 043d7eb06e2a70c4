import { isCountryCode } from "./country-codes.ts";
import { textProblem } from "./text.ts";

/** The fields of orderly.common.v1.Address as the services hold them. */
export interface AddressFields {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  countryCode: string;
}

/** Each field's limits, in code points; line2 is the only optional one. */
export const ADDRESS_LIMITS = {
  name: { min: 1, max: 200 },
  line1: { min: 1, max: 200 },
  line2: { min: 0, max: 200 },
  city: { min: 1, max: 100 },
  postal_code: { min: 1, max: 20 },
} as const;

/**
 * Every problem with an address, as [field path, description] pairs under `prefix`
 * (`shipping_address`, `address`, `customer.address`); empty when it is fine.
 */
export function addressProblems(address: AddressFields, prefix: string): [string, string][] {
  const problems: [string, string][] = [];
  const check = (field: string, problem: string | undefined) => {
    if (problem !== undefined) problems.push([`${prefix}.${field}`, problem]);
  };
  check("name", textProblem(address.name, ADDRESS_LIMITS.name));
  check("line1", textProblem(address.line1, ADDRESS_LIMITS.line1));
  check("line2", textProblem(address.line2, ADDRESS_LIMITS.line2));
  check("city", textProblem(address.city, ADDRESS_LIMITS.city));
  check("postal_code", textProblem(address.postalCode, ADDRESS_LIMITS.postal_code));
  check("country_code", countryCodeProblem(address.countryCode));
  return problems;
}

export function countryCodeProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return "is required";
  return isCountryCode(value)
    ? undefined
    : "must be an assigned ISO 3166-1 alpha-2 code in upper case (US, DE, JP)";
}
