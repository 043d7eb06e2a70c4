import { textProblem } from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
import { RESERVATION_ID_LIMITS } from "./reserve-request.ts";

/** Checks a reservation_id for Release and Commit (the same rule as Reserve's). */
export function parseReservationId(value: unknown): string {
  const violations = new Violations();
  violations.check("reservation_id", textProblem(value, RESERVATION_ID_LIMITS));
  violations.throwIfAny();
  return value as string;
}
