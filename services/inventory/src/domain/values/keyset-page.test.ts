import { describe, expect, it } from "vitest";
import { readKeysetPage } from "./keyset-page.ts";

describe("readKeysetPage", () => {
  it("when the read returns the extra row, then the page stops before it and the token continues after the last shown", async () => {
    const asked: number[] = [];
    const page = await readKeysetPage(
      2,
      async (rows) => {
        asked.push(rows);
        return ["a", "b", "c"];
      },
      (last) => `after:${last}`,
    );
    expect(asked).toEqual([3]);
    expect(page).toEqual({ rows: ["a", "b"], nextPageToken: "after:b" });
  });

  it.each([[["a", "b"]], [["a"]], [[]]])(
    "when the read returns %j for a page of 2, then it is the last page",
    async (rows) => {
      const page = await readKeysetPage(
        2,
        async () => rows,
        (last) => `after:${last}`,
      );
      expect(page).toEqual({ rows, nextPageToken: undefined });
    },
  );
});
