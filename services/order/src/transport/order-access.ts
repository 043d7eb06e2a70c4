import {
  AuthReason,
  mayActFor,
  ownerFilter,
  type Principal,
  permissionDenied,
  unauthenticated,
} from "@orderly/kit/auth";

/**
 * Object-level rules both transports apply to a verified principal, before the domain is called.
 * The domain only ever sees a plain customer id (`owner`): it knows nothing of tokens.
 */

/** The customer whose orders a caller may see, or undefined for an operator (`admin`). */
export function ownerOf(principal: Principal | undefined): string | undefined {
  return ownerFilter(present(principal));
}

/** Creating an order for another customer is refused (403), unless the caller is an operator. */
export function assertMayOrderFor(principal: Principal | undefined, customerId: string): void {
  // An empty id is bad input, which the domain names (400), not someone else's id.
  if (customerId !== "" && !mayActFor(present(principal), customerId)) {
    throw permissionDenied(AuthReason.CUSTOMER_MISMATCH, "customer_id must be the token's own subject", {
      field: "customer_id",
    });
  }
}

/**
 * The customer whose orders to list: the one asked for, defaulting to the caller's own. A customer
 * asking for another's list is refused (403); an operator may list anyone's.
 */
export function customerToList(principal: Principal | undefined, requested: string | undefined): string {
  const owner = ownerOf(principal);
  const customer = requested === undefined || requested === "" ? (owner ?? "") : requested;
  if (owner !== undefined && customer !== owner) {
    throw permissionDenied(AuthReason.CUSTOMER_MISMATCH, "customer_id must be the token's own subject", {
      field: "customer_id",
    });
  }
  return customer;
}

function present(principal: Principal | undefined): Principal {
  // The bearer check runs before every handler that reaches here; a missing principal is a wiring bug.
  if (!principal) throw unauthenticated(AuthReason.TOKEN_MISSING, "this call needs a bearer token");
  return principal;
}
