import { expect } from "vitest";

/** Awaits a rejection and checks what a caller sees: code, reason and (for bad input) the field. */
export async function expectRejected(
  call: Promise<unknown>,
  expected: { code: number; reason: string; field?: string },
): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as { code: number; reason: string; details: { field?: unknown } },
  );
  expect(error, "the call should have failed").toBeDefined();
  expect({ code: error?.code, reason: error?.reason }).toEqual({
    code: expected.code,
    reason: expected.reason,
  });
  if (expected.field !== undefined) expect(error?.details.field).toBe(expected.field);
}
