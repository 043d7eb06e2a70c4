import { create } from "@bufbuild/protobuf";
import { type Address as AddressMessage, AddressSchema } from "./gen/orderly/common/v1/common_pb.ts";
import type { AddressFields } from "./rules/address.ts";

/** The one mapping between the services' address and orderly.common.v1.Address. */
export function toAddressMessage(a: AddressFields): AddressMessage {
  return create(AddressSchema, {
    name: a.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    postalCode: a.postalCode,
    countryCode: a.countryCode,
  });
}

/** An absent address reads as all-empty fields, which validation then names one by one. */
export function fromAddressMessage(message: AddressMessage | undefined): AddressFields {
  return {
    name: message?.name ?? "",
    line1: message?.line1 ?? "",
    line2: message?.line2 ?? "",
    city: message?.city ?? "",
    postalCode: message?.postalCode ?? "",
    countryCode: message?.countryCode ?? "",
  };
}
