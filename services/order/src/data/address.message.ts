import { create } from "@bufbuild/protobuf";
import { AddressSchema } from "@orderly/contracts/common";
import type { Address } from "../domain/order.ts";

export function toAddressMessage(a: Address) {
  return create(AddressSchema, {
    name: a.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    postalCode: a.postalCode,
    countryCode: a.countryCode,
  });
}
