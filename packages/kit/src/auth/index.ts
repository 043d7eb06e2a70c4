export {
  type DevCertificateFiles,
  type WriteDevCertificatesOptions,
  writeDevCertificates,
} from "./dev-certificate-files.ts";
export { createDevCa, type DevCa, type IssueOptions, loadDevCa, type PemPair } from "./dev-certificates.ts";
export type { Principal } from "./principal.ts";
export { hasScope, mayActFor } from "./principal.ts";
export type { Scope } from "./scopes.ts";
export { isScope, SCOPES } from "./scopes.ts";
