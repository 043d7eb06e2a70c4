import { AppError, Code } from "@orderly/kit/errors";

// How the adapters read a peer's answer beyond the reasons that are specific to one call.

/** A peer's success that lacks what its contract promises: INTERNAL, not one of the order's outcomes. */
export function peerBroke(message: string): AppError {
  return new AppError({ code: Code.INTERNAL, reason: "INTERNAL", message });
}

/**
 * The peer judged the request itself and refused it (INVALID_ARGUMENT, FAILED_PRECONDITION): the
 * same request would be refused again, so it is an outcome for the saga, not an error to retry.
 */
export function peerRefused(error: unknown): error is AppError {
  return (
    error instanceof AppError &&
    (error.code === Code.INVALID_ARGUMENT || error.code === Code.FAILED_PRECONDITION)
  );
}
