import type { Scope } from "./scopes.ts";

/**
 * Who a verified bearer token speaks for. The subject is the customer: without `admin` a principal
 * sees and changes only what belongs to that customer id.
 */
export interface Principal {
  readonly subject: string;
  readonly scopes: ReadonlySet<Scope>;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has(scope) || principal.scopes.has("admin");
}

/** Whether the principal may see or act on data of `customerId`. */
export function mayActFor(principal: Principal, customerId: string): boolean {
  return principal.scopes.has("admin") || principal.subject === customerId;
}
