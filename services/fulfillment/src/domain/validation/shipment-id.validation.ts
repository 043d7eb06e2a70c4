import { validationError } from "@orderly/kit/errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shipment ids are UUIDs; anything else cannot name a shipment. */
export function isShipmentId(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * The shipment id in canonical (lower-case) form. A malformed id is refused as bad input rather than
 * looked up (the database would reject it as a uuid, which must not surface as a 500).
 */
export function validShipmentId(id: unknown, field = "id"): string {
  if (typeof id !== "string" || id.length === 0) throw validationError({ field, description: "is required" });
  if (!isShipmentId(id)) throw validationError({ field, description: "must be a shipment id (a UUID)" });
  return id.toLowerCase();
}
