import { notFound } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import { retryOnConflict } from "./transaction-retry.ts";

const options = { maxAttempts: 3, baseDelayMs: 0 };

function failing(codes: string[], result = "done"): { run: () => Promise<string>; runs: () => number } {
  let runs = 0;
  return {
    run: async () => {
      const code = codes[runs];
      runs += 1;
      if (code !== undefined) throw Object.assign(new Error(`sqlstate ${code}`), { code });
      return result;
    },
    runs: () => runs,
  };
}

describe("transaction retry", () => {
  it("when a transaction loses a race (serialization, deadlock, duplicate key), then it runs again and succeeds", async () => {
    const work = failing(["40001", "40P01"]);
    expect(await retryOnConflict(work.run, options)).toBe("done");
    expect(work.runs()).toBe(3);

    const duplicate = failing(["23505"]);
    expect(await retryOnConflict(duplicate.run, options)).toBe("done");
  });

  it("when it keeps losing, then the last error surfaces after maxAttempts runs", async () => {
    const work = failing(["40001", "40001", "40001", "40001"]);
    await expect(retryOnConflict(work.run, options)).rejects.toThrow("sqlstate 40001");
    expect(work.runs()).toBe(3);
  });

  it("when the work fails for a domain reason or another database error, then it is not run again", async () => {
    let runs = 0;
    const domainFailure = notFound("ITEM_NOT_FOUND", "no item");
    await expect(
      retryOnConflict(async () => {
        runs += 1;
        throw domainFailure;
      }, options),
    ).rejects.toBe(domainFailure);
    expect(runs).toBe(1);

    const checkViolation = failing(["23514"]);
    await expect(retryOnConflict(checkViolation.run, options)).rejects.toThrow("sqlstate 23514");
    expect(checkViolation.runs()).toBe(1);
  });
});
