import { describe, expect, it } from "vitest";
import { parseExposition } from "./exposition-format.test-support.ts";

const histogram = (buckets: string, tail = "h_sum 1\nh_count 3\n") =>
  `# HELP h A histogram.\n# TYPE h histogram\n${buckets}${tail}`;

describe("parseExposition (the test suite's promtool)", () => {
  it("when the text is well formed, then it returns each family with its typed samples", () => {
    const families = parseExposition(
      [
        "# HELP jobs_total Jobs run.",
        "# TYPE jobs_total counter",
        'jobs_total{queue="a\\"b",kind="x\\\\y\\nz",} 3 1700000000000',
        histogram('h_bucket{le="0.5"} 1\nh_bucket{le="+Inf"} 3\n').trimEnd(),
        "",
      ].join("\n"),
    );

    expect(families.get("jobs_total")).toEqual({
      name: "jobs_total",
      type: "counter",
      help: "Jobs run.",
      samples: [{ name: "jobs_total", labels: { queue: 'a"b', kind: "x\\y\nz" }, value: 3 }],
    });
    expect(families.get("h")?.samples).toHaveLength(4);
  });

  it.each([
    [
      "buckets not cumulative",
      histogram('h_bucket{le="0.5"} 2\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 3\n'),
      "not cumulative",
    ],
    ["+Inf bucket missing", histogram('h_bucket{le="0.5"} 3\n'), "no +Inf bucket"],
    ["+Inf differs from _count", histogram('h_bucket{le="+Inf"} 2\n'), "_count differs"],
    [
      "le not ascending",
      histogram('h_bucket{le="1"} 1\nh_bucket{le="0.5"} 1\nh_bucket{le="+Inf"} 3\n'),
      "le not ascending",
    ],
    ["_sum missing", histogram('h_bucket{le="+Inf"} 3\n', "h_count 3\n"), "no _sum"],
    ["bad label name", '# TYPE g gauge\ng{1abc="x"} 1\n', "invalid label name"],
    ["reserved label name", '# TYPE g gauge\ng{__name="x"} 1\n', "invalid label name"],
    ["unescaped quote", '# TYPE g gauge\ng{a="x"y"} 1\n', "expected , or }"],
    ["invalid escape", '# TYPE g gauge\ng{a="x\\ty"} 1\n', "invalid escape"],
    ["bad metric name", "# TYPE 9g gauge\n9g 1\n", "invalid metric name"],
    ["bad value", "# TYPE g gauge\ng one\n", "invalid value"],
    ["TYPE after samples", "# TYPE g gauge\ng 1\n# TYPE g gauge\n", "after the family's samples"],
    ["duplicate series", '# TYPE g gauge\ng{a="1"} 1\ng{a="1"} 2\n', "duplicate series"],
    ["interleaved families", "# TYPE g gauge\n# TYPE c counter\ng 1\nc 1\n", "contiguous"],
    ["sample without TYPE", "x 1\n", "without TYPE"],
    ["negative counter", "# TYPE c counter\nc -1\n", "negative counter"],
    ["no trailing newline", "# TYPE g gauge\ng 1", "newline"],
  ])("when the text has %s, then it is rejected", (_problem, text, reason) => {
    expect(() => parseExposition(text)).toThrow(reason);
  });
});
