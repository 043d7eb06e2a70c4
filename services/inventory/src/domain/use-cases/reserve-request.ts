import { lineCountProblem, lineQuantityProblem, skuProblem, textProblem } from "@orderly/contracts/rules";
import { Violations } from "@orderly/kit/domain";
import type { RequestedLine } from "../entities/reservation.ts";

export const RESERVATION_ID_LIMITS = { min: 1, max: 128 } as const;

export interface ReserveRequest {
  reservationId: string;
  lines: RequestedLine[];
}

/**
 * Checks a Reserve request, naming every bad field. A SKU listed twice is refused rather than
 * merged: a reservation's lines then mirror the request one to one, and a caller that meant two
 * different things by the two lines finds out instead of getting their sum.
 */
export function parseReserveRequest(input: { reservationId: unknown; lines: unknown }): ReserveRequest {
  const violations = new Violations();
  violations.check("reservation_id", textProblem(input.reservationId, RESERVATION_ID_LIMITS));

  const lines = Array.isArray(input.lines) ? (input.lines as unknown[]) : [];
  violations.check("lines", lineCountProblem(lines));

  const firstIndexOfSku = new Map<string, number>();
  lines.forEach((line, index) => {
    const { sku, quantity } = asRecord(line);
    if (violations.check(`lines[${index}].sku`, skuProblem(sku))) {
      const first = firstIndexOfSku.get(sku as string);
      if (first === undefined) firstIndexOfSku.set(sku as string, index);
      else violations.check(`lines[${index}].sku`, `repeats lines[${first}].sku; send one line per SKU`);
    }
    violations.check(`lines[${index}].quantity`, lineQuantityProblem(quantity));
  });
  violations.throwIfAny();

  return {
    reservationId: input.reservationId as string,
    lines: (lines as RequestedLine[]).map((line) => ({ sku: line.sku, quantity: line.quantity })),
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}
