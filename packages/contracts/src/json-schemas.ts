import type { AddressFields } from "./rules/address.ts";

/**
 * The HTTP APIs' JSON form of the messages in orderly/common/v1/common.proto: snake_case like the
 * proto fields, amounts as integers. One definition, so every service's /v1 routes and OpenAPI
 * documents agree on them.
 */
export const MONEY_JSON_SCHEMA = {
  type: "object",
  properties: {
    currency_code: { type: "string", description: "ISO 4217, three upper-case letters (USD, EUR, JPY)." },
    amount_minor: { type: "integer", description: "Whole minor units (cents for USD)." },
  },
  required: ["currency_code", "amount_minor"],
} as const;

export const ADDRESS_JSON_SCHEMA = {
  type: "object",
  properties: {
    name: { type: "string" },
    line1: { type: "string" },
    line2: { type: "string" },
    city: { type: "string" },
    postal_code: { type: "string" },
    country_code: { type: "string", description: "ISO 3166-1 alpha-2 (US, DE, JP)." },
  },
  required: ["name", "line1", "line2", "city", "postal_code", "country_code"],
} as const;

/** An address in that JSON form (any domain's address holds at least these fields). */
export function addressToJson(a: AddressFields) {
  return {
    name: a.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    postal_code: a.postalCode,
    country_code: a.countryCode,
  };
}
