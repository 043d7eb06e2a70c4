import { AuthReason, hasScope, type Principal, permissionDenied } from "@orderly/kit/auth";

/**
 * Whose shipments a caller sees: warehouse staff (`shipments:write`) and operators (`admin`) see
 * every shipment; a customer only their own. The domain gets the plain customer id.
 */
export function shipmentOwnerOf(principal: Principal): string | undefined {
  return hasScope(principal, "shipments:write") ? undefined : principal.subject;
}

/**
 * The customer filter of a listing: a customer's own id whatever they ask (asking for another's
 * is 403 CUSTOMER_MISMATCH), or what staff ask for ("" for everyone).
 */
export function customerFilterOf(principal: Principal, requested: string | undefined): string {
  const owner = shipmentOwnerOf(principal);
  if (owner === undefined) return requested ?? "";
  if (requested !== undefined && requested !== "" && requested !== owner) {
    throw permissionDenied(AuthReason.CUSTOMER_MISMATCH, "customer_id must be the token's own subject", {
      field: "customer_id",
    });
  }
  return owner;
}
