import { createRequire } from "node:module";
import type * as Jose from "jose";

let loaded: typeof Jose | undefined;

/**
 * jose (46 modules), loaded on first use rather than at import: a service started with
 * AUTH_DISABLED=true never verifies or signs a token, and this folder's barrel is imported by every
 * service. Synchronous (jose has no top-level await, so `require` of its ES build works) because its
 * first users, createAuthenticator and fileKeySet, are. One module instance either way: jose has a
 * single entry, so `import` elsewhere (tests) and this `require` share its error classes.
 */
export const jose = (): typeof Jose => (loaded ??= createRequire(import.meta.url)("jose") as typeof Jose);
