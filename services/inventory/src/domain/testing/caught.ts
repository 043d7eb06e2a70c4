import { type AppError, type FieldViolation, isAppError } from "@orderly/kit/errors";

/** The AppError `run` throws (sync or async); fails the test when it throws nothing or something else. */
export async function caught(run: () => unknown): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected an AppError, nothing was thrown");
}

/** The fields an INVALID_ARGUMENT error names, in order. */
export async function violatedFields(run: () => unknown): Promise<string[]> {
  const error = await caught(run);
  return (error.details.violations as FieldViolation[]).map((violation) => violation.field);
}
