import { AuthReason, ownerFilter, type Principal, permissionDenied } from "@orderly/kit/auth";

/** Whose invoices a caller sees: a customer only their own, an operator (`admin`) everyone's. */
export function invoiceOwnerOf(principal: Principal): string | undefined {
  return ownerFilter(principal);
}

/**
 * The customer filter of a listing: a customer's own id whatever they ask (another's is 403
 * CUSTOMER_MISMATCH), so an order_id filter alone never reaches another customer's invoices.
 */
export function customerFilterOf(principal: Principal, requested: string | undefined): string | undefined {
  const owner = invoiceOwnerOf(principal);
  if (owner === undefined) return requested;
  if (requested !== undefined && requested !== "" && requested !== owner) {
    throw permissionDenied(AuthReason.CUSTOMER_MISMATCH, "customer_id must be the token's own subject", {
      field: "customer_id",
    });
  }
  return owner;
}
