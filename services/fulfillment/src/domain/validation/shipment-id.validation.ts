import { isUuid } from "@orderly/kit/domain";
import { validationError } from "@orderly/kit/errors";

/**
 * The shipment id in canonical (lower-case) form. A malformed id is refused as bad input rather than
 * looked up (the database would reject it as a uuid, which must not surface as a 500).
 */
export function validShipmentId(id: unknown, field = "id"): string {
  if (typeof id !== "string" || id.length === 0) throw validationError({ field, description: "is required" });
  if (!isUuid(id)) throw validationError({ field, description: "must be a shipment id (a UUID)" });
  return id.toLowerCase();
}
