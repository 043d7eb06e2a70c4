import { AppError, Code } from "@orderly/kit/errors";
import { describe, expect, it } from "vitest";
import { silentObserver } from "../ports/saga-observer.port.ts";
import { SagaEngine, type SagaStep, type StepResult } from "./saga-engine.ts";

/** The subject is the set of steps done; each step's behaviour is scripted per test. */
type Done = ReadonlySet<string>;
type Script = Record<string, "ok" | "reject" | "reject-nothing-held" | "transient" | "throw">;
type UndoScript = Record<string, "undone" | "refused" | "transient">;

function table(script: Script, undos: UndoScript, log: string[]): SagaStep<Done>[] {
  const step = (
    name: string,
    after: string[],
    whenRefused: "goods-left" | "needs-attention",
  ): SagaStep<Done> => ({
    name,
    after,
    isDone: (done) => done.has(name),
    run: async (): Promise<StepResult<Done>> => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${name}`);
      const behaviour = script[name] ?? "ok";
      if (behaviour === "transient")
        throw new AppError({ code: Code.UNAVAILABLE, reason: "DOWN", message: "down" });
      if (behaviour === "throw")
        throw new AppError({ code: Code.INTERNAL, reason: "INTERNAL", message: "bug" });
      if (behaviour === "reject")
        return { kind: "rejected", reason: `${name}_REFUSED`, message: "no", nothingHeld: false };
      if (behaviour === "reject-nothing-held")
        return { kind: "rejected", reason: "NONE", message: "no", nothingHeld: true };
      return { kind: "done", apply: (done) => new Set([...done, name]) };
    },
    undo: {
      name: `UNDO_${name}`,
      run: async () => {
        log.push(`undo ${name}`);
        const behaviour = undos[name] ?? "undone";
        if (behaviour === "transient")
          throw new AppError({ code: Code.UNAVAILABLE, reason: "DOWN", message: "down" });
        return behaviour;
      },
      whenRefused,
    },
  });
  return [
    step("A", [], "needs-attention"),
    step("B", ["A"], "needs-attention"),
    step("C", ["A"], "goods-left"),
  ];
}

const engine = (script: Script, undos: UndoScript = {}) => {
  const log: string[] = [];
  return { log, engine: new SagaEngine(table(script, undos, log), silentObserver, () => "id") };
};

describe("saga engine, forward", () => {
  it("when every step succeeds, then steps with the same prerequisites run at once and all end done", async () => {
    const { log, engine: e } = engine({});
    const outcome = await e.forward(new Set());
    expect(outcome).toMatchObject({ kind: "complete" });
    expect([...(outcome.subject as Done)].sort()).toEqual(["A", "B", "C"]);
    // A alone first; B and C both start before either ends.
    expect(log.slice(0, 2)).toEqual(["start A", "end A"]);
    expect(log.slice(2, 4).sort()).toEqual(["start B", "start C"]);
  });

  it("when some steps are already done, then only the rest run", async () => {
    const { log, engine: e } = engine({});
    await e.forward(new Set(["A", "B"]));
    expect(log).toEqual(["start C", "end C"]);
  });

  it.each([
    [
      "a step refuses",
      { C: "reject" },
      { kind: "rejected", reason: "C_REFUSED", nothingHeld: false },
      ["A", "B"],
    ],
    [
      "the first step refuses holding nothing",
      { A: "reject-nothing-held" },
      { kind: "rejected", nothingHeld: true },
      [],
    ],
    ["a step cannot be reached", { B: "transient" }, { kind: "transient", step: "B" }, ["A", "C"]],
    [
      "a step fails with a bug",
      { B: "throw" },
      { kind: "rejected", reason: "INTERNAL", nothingHeld: false },
      ["A", "C"],
    ],
  ] as const)(
    "when %s, then the outcome says so and the wave's successes are kept",
    async (_, script, expected, done) => {
      const { engine: e } = engine(script);
      const outcome = await e.forward(new Set());
      expect(outcome).toMatchObject(expected);
      expect([...(outcome.subject as Done)].sort()).toEqual(done);
    },
  );

  it("when a step waits for one not in the table, then the engine refuses to be built", () => {
    const step = table({}, {}, [])[1] as SagaStep<Done>;
    expect(() => new SagaEngine([{ ...step, after: ["NOPE"] }], silentObserver, () => "id")).toThrow(/NOPE/);
  });
});

describe("saga engine, compensation", () => {
  it.each([
    ["every undo works", {}, { kind: "undone", needsAttention: [] }, ["undo C", "undo B", "undo A"]],
    [
      "the last step's undo finds the goods gone",
      { C: "refused" },
      { kind: "goods-left", step: "UNDO_C" },
      ["undo C"],
    ],
    [
      "a middle undo is refused",
      { B: "refused" },
      { kind: "undone", needsAttention: ["UNDO_B: refused"] },
      ["undo C", "undo B", "undo A"],
    ],
    [
      "an undo cannot be reached",
      { B: "transient" },
      { kind: "transient", step: "UNDO_B" },
      ["undo C", "undo B"],
    ],
  ] as const)(
    "when %s, then undos run one at a time in reverse and the outcome says what happened",
    async (_, undos, expected, calls) => {
      const { log, engine: e } = engine({}, undos);
      expect(await e.compensate(new Set(["A", "B", "C"]), "WHY")).toMatchObject(expected);
      expect(log).toEqual(calls);
    },
  );
});
