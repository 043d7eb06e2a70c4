import type { Principal } from "./principal.ts";

/**
 * The customer whose data a principal may see: its subject, or undefined (everyone's) for `admin`.
 * Transport handlers pass it to the domain as a plain filter, so the domain stays free of tokens.
 */
export function ownerFilter(principal: Principal): string | undefined {
  return principal.scopes.has("admin") ? undefined : principal.subject;
}
