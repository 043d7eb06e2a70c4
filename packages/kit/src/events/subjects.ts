/** Subject and stream names: `orderly.<service>.<event>`, dead letters on `orderly.dlq.<consumer>`. */

const TOKEN = /^[a-z][a-z0-9_-]*$/;
export const DLQ_STREAM = "ORDERLY_DLQ";
const RESERVED_SERVICES = new Set(["dlq"]);

function token(kind: string, value: string): string {
  if (!TOKEN.test(value)) {
    throw new RangeError(`${kind} must be lower case letters, digits, _ or - (got ${JSON.stringify(value)})`);
  }
  return value;
}

function service(name: string): string {
  token("service", name);
  if (RESERVED_SERVICES.has(name)) throw new RangeError(`service name ${name} is reserved`);
  return name;
}

/** `eventSubject("order", "confirmed")` is `orderly.order.confirmed`. */
export function eventSubject(source: string, event: string): string {
  return `orderly.${service(source)}.${token("event", event)}`;
}

/** The producer service of an event subject, or undefined when it is not one. */
export function subjectSource(subject: string): string | undefined {
  const [prefix, source, event, ...rest] = subject.split(".");
  if (prefix !== "orderly" || source === undefined || event === undefined || rest.length > 0)
    return undefined;
  return TOKEN.test(source) && TOKEN.test(event) && !RESERVED_SERVICES.has(source) ? source : undefined;
}

/** Where the consumer `consumer` sends what it gave up on. */
export function dlqSubject(consumer: string): string {
  return `orderly.dlq.${token("consumer", consumer)}`;
}

/** One stream per producer service: `ORDERLY_ORDER` holds `orderly.order.>`. */
export function streamName(source: string): string {
  return `ORDERLY_${service(source).toUpperCase().replace(/-/g, "_")}`;
}

export function streamSubjects(source: string): string {
  return `orderly.${service(source)}.>`;
}

/** A durable consumer name: the consuming service's name (replicas share it, so they share work). */
export function consumerName(consumer: string): string {
  return token("consumer", consumer);
}
