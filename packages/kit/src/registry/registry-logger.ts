/**
 * The logger the registry writes to: a pino logger fits (`log` from @orderly/kit/log), as does any
 * object with these methods. Fields never carry the ACL token.
 */
export interface RegistryLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
