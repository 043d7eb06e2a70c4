import { isUuid } from "@orderly/kit/domain";
import { validationError } from "@orderly/kit/errors";

/** Why `id` cannot name a shipment, if it cannot. */
export function shipmentIdProblem(id: unknown): string | undefined {
  if (typeof id !== "string" || id.length === 0) return "is required";
  return isUuid(id) ? undefined : "must be a shipment id (a UUID)";
}

/**
 * The shipment id in canonical (lower-case) form. A malformed id is refused as bad input rather than
 * looked up (the database would reject it as a uuid, which must not surface as a 500).
 */
export function validShipmentId(id: unknown, field = "id"): string {
  const problem = shipmentIdProblem(id);
  if (problem !== undefined) throw validationError({ field, description: problem });
  return (id as string).toLowerCase();
}
