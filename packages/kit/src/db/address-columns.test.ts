import { describe, expect, it } from "vitest";
import { addressColumns, addressFromColumns } from "./address-columns.ts";

describe("address columns", () => {
  const address = {
    name: "Ada Lovelace",
    line1: "12 St James's Square",
    line2: "",
    city: "London",
    postalCode: "SW1Y 4JH",
    countryCode: "GB",
  };

  it("when an address is stored, then each field lands in its own address_* column", () => {
    expect(addressColumns(address)).toEqual({
      address_name: "Ada Lovelace",
      address_line1: "12 St James's Square",
      address_line2: "",
      address_city: "London",
      address_postal_code: "SW1Y 4JH",
      address_country_code: "GB",
    });
  });

  it("when a stored address is read back from a row with other columns, then it is the address stored", () => {
    const row = { id: "row-1", status: "ISSUED", ...addressColumns(address) };
    expect(addressFromColumns(row)).toEqual(address);
  });
});
