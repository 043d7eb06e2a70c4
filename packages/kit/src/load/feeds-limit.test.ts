import { describe, expect, it } from "vitest";
import { Code } from "../errors/index.ts";
import { feedsLimit } from "./feeds-limit.ts";

describe("feedsLimit", () => {
  const feeds: Record<keyof typeof Code, boolean> = {
    OK: true,
    CANCELLED: false,
    UNKNOWN: true,
    INVALID_ARGUMENT: false,
    DEADLINE_EXCEEDED: true,
    NOT_FOUND: false,
    ALREADY_EXISTS: false,
    PERMISSION_DENIED: false,
    RESOURCE_EXHAUSTED: false,
    FAILED_PRECONDITION: false,
    ABORTED: false,
    OUT_OF_RANGE: false,
    UNIMPLEMENTED: false,
    INTERNAL: true,
    UNAVAILABLE: true,
    DATA_LOSS: true,
    UNAUTHENTICATED: false,
  };

  it.each(Object.entries(feeds) as [keyof typeof Code, boolean][])(
    "when a request ends %s, then whether its latency feeds the limit is %s",
    (name, expected) => {
      expect(feedsLimit(Code[name])).toBe(expected);
    },
  );
});
