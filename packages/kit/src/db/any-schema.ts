/**
 * Kit helpers (outbox, inbox, relay) accept a Kysely instance of any service's schema: they only
 * touch the kit's own tables, typed internally as KitTables.
 */
// biome-ignore lint/suspicious/noExplicitAny: Kysely<Schema> is invariant, so only `any` accepts every service's schema.
export type AnySchema = any;
