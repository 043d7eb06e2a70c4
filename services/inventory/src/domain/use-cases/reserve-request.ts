import { orderLinesProblems, textProblem } from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
import type { RequestedLine } from "../entities/reservation.ts";

export const RESERVATION_ID_LIMITS = { min: 1, max: 128 } as const;

export interface ReserveRequest {
  reservationId: string;
  lines: RequestedLine[];
}

/** Checks a Reserve request, naming every bad field (the lines by the rule every service shares). */
export function parseReserveRequest(input: { reservationId: unknown; lines: unknown }): ReserveRequest {
  const violations = new Violations();
  violations.check("reservation_id", textProblem(input.reservationId, RESERVATION_ID_LIMITS));

  for (const [field, problem] of orderLinesProblems(input.lines)) violations.add(field, problem);
  violations.throwIfAny();

  return {
    reservationId: input.reservationId as string,
    lines: (input.lines as RequestedLine[]).map((line) => ({ sku: line.sku, quantity: line.quantity })),
  };
}
