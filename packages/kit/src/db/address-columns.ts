import type { AddressFields } from "@orderly/contracts/rules";

/**
 * An address (orderly.common.v1.Address) stored flat, as the address_* columns of the row that holds
 * it: a service's table type extends this, and its row mapper converts with the two functions below,
 * so every table that stores an address lays it out and reads it back the same way.
 */
export interface AddressColumns {
  address_name: string;
  address_line1: string;
  address_line2: string;
  address_city: string;
  address_postal_code: string;
  address_country_code: string;
}

/** The address_* column names, for a column list such as kit precompile's columnValues takes. */
export const ADDRESS_COLUMN_NAMES: Record<keyof AddressColumns, true> = {
  address_name: true,
  address_line1: true,
  address_line2: true,
  address_city: true,
  address_postal_code: true,
  address_country_code: true,
};

export function addressFromColumns(row: AddressColumns): AddressFields {
  return {
    name: row.address_name,
    line1: row.address_line1,
    line2: row.address_line2,
    city: row.address_city,
    postalCode: row.address_postal_code,
    countryCode: row.address_country_code,
  };
}

export function addressColumns(address: AddressFields): AddressColumns {
  return {
    address_name: address.name,
    address_line1: address.line1,
    address_line2: address.line2,
    address_city: address.city,
    address_postal_code: address.postalCode,
    address_country_code: address.countryCode,
  };
}
