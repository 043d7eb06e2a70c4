import { AppError } from "@orderly/kit/errors";

/** The AppError a call rejects with; fails the test when it resolves or throws something else. */
export async function appErrorOf(work: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError, but the call succeeded");
}
