/** What a redacted value is replaced with. */
export const REDACTED = "[redacted]";

/**
 * Keys whose values never reach a log line, at any depth: credentials and personal data.
 * Compared after normalizing (lower case, `-` and `_` removed), so `shipping_address`,
 * `shippingAddress` and `Shipping-Address` are one entry, and `x-api-key` matches `xApiKey`.
 * A whole subtree is replaced: `{ shipping_address: { street, city } }` logs no part of it.
 */
export const SENSITIVE_KEYS: ReadonlySet<string> = new Set([
  // credentials, including the HTTP and gRPC headers that carry them
  "authorization",
  "proxyauthorization",
  "cookie",
  "setcookie",
  "xapikey",
  "apikey",
  "password",
  "passwd",
  "secret",
  "clientsecret",
  "token",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "consulhttptoken",
  // personal data
  "email",
  "phone",
  "phonenumber",
  "shippingaddress",
  "billingaddress",
  "firstname",
  "lastname",
  "fullname",
  "customername",
  // the lines of an orderly.common.v1.Address, should one be flattened into a log line
  "line1",
  "line2",
  "postalcode",
]);

/**
 * Objects that describe a person: inside them `name` is personal too. (`name` alone is far too
 * common a key, an item's or a service's name, to redact everywhere.)
 */
export const PERSON_KEYS: ReadonlySet<string> = new Set(["customer", "recipient", "contact", "person"]);

/**
 * `address` is both postal (an `orderly.common.v1.Address` object, personal) and network
 * (`"10.0.0.7:50052"`, a string, needed to debug). Redacted when it is an object, or anything
 * inside a person object.
 */
function isPostalAddress(normalizedKey: string, value: unknown, inPerson: boolean): boolean {
  return normalizedKey === "address" && (inPerson || (typeof value === "object" && value !== null));
}

// A bearer credential wherever it appears inside a string: "Bearer <token>" (RFC 6750 token
// characters), and anything shaped like a JWT (three base64url parts, the first a JSON header:
// "eyJ") even without the word, as in a pasted curl line or an error quoting a header.
// Sixteen characters at least: real tokens are long, and "the bearer of this letter" is prose.
const BEARER = /\b(Bearer\s+)[A-Za-z0-9\-._~+/]{16,}=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/**
 * `text` with bearer tokens and JWTs replaced by `[redacted]`. Two substring checks first, so a
 * string that holds neither (nearly every one) costs no regular expression.
 */
export function redactTokens(text: string): string {
  const bearer = text.includes("earer") || text.includes("EARER");
  const jwt = text.includes("eyJ");
  if (!bearer && !jwt) return text;
  let out = text;
  if (bearer) out = out.replace(BEARER, `$1${REDACTED}`);
  if (jwt) out = out.replace(JWT, REDACTED);
  return out;
}

/** Deep enough for `{ order: { customer: { address: … } } }` and request headers; bounded against cycles. */
const MAX_DEPTH = 6;

export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, "");
}

/**
 * Returns `value` with every sensitive key's value replaced by `[redacted]`. Walks plain objects
 * and arrays only: class instances (errors, requests, buffers) are left to their pino serializers,
 * and walking them could be enormous. Never mutates its input; unchanged subtrees are returned as
 * they are, so a line with nothing sensitive costs one pass over its own keys and no copies.
 */
export function redactSensitive<T>(value: T): T {
  return scrub(value, 0, false) as T;
}

function scrub(value: unknown, depth: number, inPerson: boolean): unknown {
  if (typeof value === "string") return redactTokens(value);
  if (depth >= MAX_DEPTH || typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const scrubbed = scrub(item, depth + 1, inPerson);
      if (scrubbed !== item) {
        copy ??= [...value];
        copy[index] = scrubbed;
      }
    });
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const original = (value as Record<string, unknown>)[key];
    const normalized = normalizeKey(key);
    const scrubbed =
      SENSITIVE_KEYS.has(normalized) ||
      (inPerson && normalized === "name") ||
      isPostalAddress(normalized, original, inPerson)
        ? REDACTED
        : scrub(original, depth + 1, PERSON_KEYS.has(normalized));
    if (scrubbed !== original) {
      copy ??= { ...value };
      copy[key] = scrubbed;
    }
  }
  return copy ?? value;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  // Node's request headers objects have a null prototype.
  return prototype === Object.prototype || prototype === null;
}
