import { isOrderlyError } from "@orderly/client";
import { UsageError } from "./usage-error.ts";

/** Exit codes scripts can branch on. */
export const ExitCode = {
  OK: 0,
  /** Anything else: INTERNAL, PERMISSION_DENIED, an unexpected failure. */
  FAILED: 1,
  /** Bad input: a flag the CLI refused, or INVALID_ARGUMENT from the server. */
  BAD_INPUT: 2,
  NOT_FOUND: 3,
  /** The request conflicts with the current state: FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED. */
  CONFLICT: 4,
  /** Nothing answered, or not in time: UNAVAILABLE, DEADLINE_EXCEEDED. */
  UNAVAILABLE: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.BAD_INPUT;
  if (!isOrderlyError(error)) return ExitCode.FAILED;
  switch (error.code) {
    case "INVALID_ARGUMENT":
    case "OUT_OF_RANGE":
      return ExitCode.BAD_INPUT;
    case "NOT_FOUND":
      return ExitCode.NOT_FOUND;
    case "FAILED_PRECONDITION":
    case "ALREADY_EXISTS":
    case "ABORTED":
      return ExitCode.CONFLICT;
    case "UNAVAILABLE":
    case "DEADLINE_EXCEEDED":
      return ExitCode.UNAVAILABLE;
    default:
      return ExitCode.FAILED;
  }
}
