/**
 * The scopes a bearer token can carry. Routes and RPCs declare the one they need (RPCs in
 * `proto/` with the `orderly.access.v1.access` method option); `admin` also lifts the
 * customer-ownership filter.
 */
export const SCOPES = [
  "orders:read",
  "orders:write",
  "inventory:read",
  "inventory:write",
  "invoices:read",
  "shipments:write",
  "admin",
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
