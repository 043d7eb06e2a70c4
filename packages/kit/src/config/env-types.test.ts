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

describe("envTypes numbers", () => {
  it.each([
    ["port", "http", "expected a port number (0-65535)"],
    ["port", "-1", "expected a port number (0-65535)"],
    ["port", "65536", "expected a port number (0-65535)"],
    ["port", "80.5", "expected a whole port number (0-65535)"],
    ["positiveInt", "none", "expected a positive whole number"],
    ["positiveInt", "0", "expected a positive whole number"],
    ["positiveInt", "0.5", "expected a positive whole number"],
    ["nonNegativeInt", "-1", "expected a whole number >= 0"],
    ["nonNegativeInt", "2.5", "expected a whole number >= 0"],
    ["share", "1.5", "expected a fraction between 0 and 1 (0.05 = 5 %)"],
    ["share", "-0.1", "expected a fraction between 0 and 1 (0.05 = 5 %)"],
    ["share", "half", "expected a fraction between 0 and 1 (0.05 = 5 %)"],
  ] as const)("when %s is given %j, then the one issue says %j", (type, value, message) => {
    const issues = envTypes[type](1).safeParse(value).error?.issues;
    expect(issues?.map((issue) => issue.message)).toEqual([message]);
  });
});
