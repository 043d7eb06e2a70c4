import { lineCountProblem, lineQuantityProblem } from "./quantity.ts";
import { skuProblem } from "./sku.ts";

/**
 * Every problem with the lines of an order, a reservation or a shipment, as [field path,
 * description] pairs under `prefix` (`lines`); empty when they are fine. 1 to 100 lines, each a
 * valid SKU and a quantity from 1 to 1000, one line per SKU: a SKU listed twice is refused rather
 * than merged, so the lines downstream mirror the request one to one and a caller that meant two
 * different things by the two lines finds out instead of getting their sum. Lines may come from
 * JSON, so their types are checked too; beyond the count limit the lines are not read (one
 * problem, not hundreds).
 */
export function orderLinesProblems(lines: unknown, prefix = "lines"): [string, string][] {
  if (!Array.isArray(lines)) return [[prefix, "must be a list of lines"]];
  const countProblem = lineCountProblem(lines);
  if (countProblem !== undefined) return [[prefix, countProblem]];
  const problems: [string, string][] = [];
  const firstIndexOfSku = new Map<string, number>();
  lines.forEach((line: unknown, index) => {
    const { sku, quantity } =
      typeof line === "object" && line !== null ? (line as Record<string, unknown>) : {};
    const field = `${prefix}[${index}]`;
    const problem = skuProblem(sku);
    if (problem !== undefined) problems.push([`${field}.sku`, problem]);
    else {
      const first = firstIndexOfSku.get(sku as string);
      if (first === undefined) firstIndexOfSku.set(sku as string, index);
      else
        problems.push([
          `${field}.sku`,
          `repeats ${prefix}[${first}].sku; put the total quantity on one line`,
        ]);
    }
    const quantityProblem = lineQuantityProblem(quantity);
    if (quantityProblem !== undefined) problems.push([`${field}.quantity`, quantityProblem]);
  });
  return problems;
}
