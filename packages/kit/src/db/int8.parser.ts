/** PostgreSQL type oids the kit parses the same way on both drivers. */
export const INT8_OID = 20;
export const INT8_ARRAY_OID = 1016;

/**
 * int8 (bigint, bigserial, count(*)) as a JS number, so pg and PGlite agree. A value outside the
 * safe-integer range fails the query loudly rather than silently losing precision; store such values
 * as numeric or text.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} is outside the JavaScript safe-integer range`);
  }
  return value;
}

type Nested<T> = T | null | Nested<T>[];

/** Applies parseInt8 through the (possibly nested) string arrays pg's own array parser produces. */
export function int8Elements(value: Nested<string>): Nested<number> {
  if (value === null) return null;
  return Array.isArray(value) ? value.map(int8Elements) : parseInt8(value);
}
