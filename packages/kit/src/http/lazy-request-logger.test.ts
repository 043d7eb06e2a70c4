import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { createLogger } from "../log/index.ts";
import { LazyRequestLogger } from "./lazy-request-logger.ts";

function parent(level = "info") {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  const log = createLogger({ service: "inventory", version: "1", instance: "i-1", level, destination });
  return { log, lines };
}

describe("LazyRequestLogger", () => {
  it("when a request writes nothing at an enabled level, then no pino child is made", () => {
    const { log } = parent("info");
    const child = vi.spyOn(log, "child");
    const requestLog = new LazyRequestLogger(log, { request_id: "r-1" }, {});

    requestLog.debug("not at info");

    expect(requestLog.isLevelEnabled("debug")).toBe(false);
    expect(child).not.toHaveBeenCalled();
  });

  it("when a request logs, then the line carries its bindings and the logger's own fields", () => {
    const { log, lines } = parent("info");
    const requestLog = new LazyRequestLogger(log, { request_id: "r-2" }, {});

    requestLog.warn({ status: 503 }, "slow");
    requestLog.error("broken");

    expect(lines).toMatchObject([
      { level: "warn", msg: "slow", status: 503, request_id: "r-2", service: "inventory" },
      { level: "error", msg: "broken", request_id: "r-2" },
    ]);
    expect(requestLog.bindings()).toMatchObject({ request_id: "r-2" });
  });
});
