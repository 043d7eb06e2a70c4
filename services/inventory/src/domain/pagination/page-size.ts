import type { Violations } from "../values/violations.ts";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** 1 to 100; 0 (or absent) means the default of 50. Anything else is recorded as a `page_size` problem. */
export function resolvePageSize(value: number | undefined, violations: Violations): number {
  if (value === undefined || value === 0) return DEFAULT_PAGE_SIZE;
  const ok = violations.check(
    "page_size",
    Number.isInteger(value) && value >= 1 && value <= MAX_PAGE_SIZE
      ? undefined
      : `must be between 1 and ${MAX_PAGE_SIZE} (0 means ${DEFAULT_PAGE_SIZE})`,
  );
  return ok ? value : DEFAULT_PAGE_SIZE;
}
