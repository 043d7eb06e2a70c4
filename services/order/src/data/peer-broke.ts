import { AppError, Code } from "@orderly/kit/errors";

/** A peer's success that lacks what its contract promises: INTERNAL, not one of the order's outcomes. */
export function peerBroke(message: string): AppError {
  return new AppError({ code: Code.INTERNAL, reason: "INTERNAL", message });
}
