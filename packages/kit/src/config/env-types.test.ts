import { describe, expect, it } from "vitest";
import { envTypes } from "./env-types.ts";

describe("envTypes.integer", () => {
  it("when the value is a whole number of either sign, then it is parsed", () => {
    expect(envTypes.integer(0).parse("3600000")).toBe(3_600_000);
    expect(envTypes.integer(0).parse("-60000")).toBe(-60_000);
  });

  it("when the variable is unset, then the fallback applies", () => {
    expect(envTypes.integer(7).parse(undefined)).toBe(7);
  });

  it("when the value is a fraction or not a number, then it is refused saying a whole number was expected", () => {
    expect(envTypes.integer(0).safeParse("1.5").error?.issues[0]?.message).toBe("expected a whole number");
    expect(envTypes.integer(0).safeParse("soon").error?.issues[0]?.message).toBe("expected a whole number");
  });
});
