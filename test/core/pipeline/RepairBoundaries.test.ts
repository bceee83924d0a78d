/**
 * The repair loop's decisions with states the test scripts: the order that ranks two states, each
 * bound of the loop at, below and above its limit, and what it records of each round.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { CompileReport } from "../../../core/domain/CompileReport.ts"
import { RepairIteration, type RepairOutcome } from "../../../core/domain/Result.ts"
import { GeneratorFailedError } from "../../../core/errors.ts"
import { better, type CheckedState, failureLine, repairLoop } from "../../../core/pipeline/Repair.ts"

const compile = (status: "passed" | "failed") =>
  new CompileReport({ tool: "tsc", status, diagnostics: [], command: "tsc", output: "", durationMs: 1 })

const state = (fields: Partial<CheckedState> & { readonly outcome: RepairOutcome }): CheckedState => ({
  output: { files: [], notes: [] },
  files: [],
  changes: [],
  compile: undefined,
  tests: undefined,
  gateMet: true,
  testsPassed: true,
  score: 1,
  error: undefined,
  failures: [],
  ...fields
})

const failing = (outcome: RepairOutcome, score = 0.5, failures = ["test: a fails"]) =>
  state({ outcome, score, testsPassed: false, failures })

describe("better", () => {
  it("ranks a change at all, then every edit applied, then tests, then compiling, then the gate, then the score", () => {
    const base = { outcome: "gate-failed" as const, testsPassed: true, gateMet: true, score: 0.5 }
    const pairs: ReadonlyArray<readonly [CheckedState, CheckedState]> = [
      // Each pair: the first is better by exactly one criterion, and worse on every later one.
      [
        state({ ...base, outcome: "tests-failed", testsPassed: false, score: 0 }),
        state({ ...base, outcome: "no-change" })
      ],
      [
        state({ ...base, outcome: "tests-failed", testsPassed: false, score: 0 }),
        state({ ...base, outcome: "edits-failed" })
      ],
      [
        state({ ...base, testsPassed: true, compile: compile("failed"), gateMet: false, score: 0 }),
        state({ ...base, testsPassed: false })
      ],
      [
        state({ ...base, compile: compile("passed"), gateMet: false, score: 0 }),
        state({ ...base, compile: compile("failed") })
      ],
      [state({ ...base, gateMet: true, score: 0 }), state({ ...base, gateMet: false, score: 1 })],
      [state({ ...base, score: 0.6 }), state({ ...base, score: 0.5 })]
    ]
    for (const [winner, loser] of pairs) {
      expect(better(winner, loser)).toBe(true)
      expect(better(loser, winner)).toBe(false)
    }
  })

  it("counts no compile report as compiling, and finds an equal state not better", () => {
    const unchecked = state({ outcome: "passed", compile: undefined, score: 0.5 })
    const failed = state({ outcome: "passed", compile: compile("failed"), score: 0.9 })
    expect(better(unchecked, failed)).toBe(true)
    expect(better(unchecked, state({ outcome: "passed", compile: compile("passed"), score: 0.5 }))).toBe(false)
    expect(better(unchecked, unchecked)).toBe(false)
  })

  it("writes each kind of failure with its own prefix", () => {
    expect([
      failureLine.edit("x"),
      failureLine.compile("x"),
      failureLine.gate("x"),
      failureLine.test("x"),
      failureLine.missing("x")
    ]).toEqual(["edit: x", "compile: x", "gate: x", "test: x", "missing: x"])
  })
})

interface Script {
  readonly states: ReadonlyArray<CheckedState>
  readonly maxIterations: number
  readonly tokenBudget?: number
  /** Tokens each model call uses. */
  readonly tokensPerCall?: number
  readonly repairFails?: boolean
  readonly noRepair?: boolean
}

const run = (script: Script) =>
  Effect.gen(function* () {
    const usage = { calls: 100, tokens: 1000 }
    let evaluated = 0
    const repairsFrom: Array<CheckedState> = []
    const seen: Array<RepairIteration> = []
    const spend = () => {
      usage.calls += 1
      usage.tokens += script.tokensPerCall ?? 10
    }
    const loop = yield* repairLoop({
      first: { files: [], notes: ["first"] },
      evaluate: () =>
        Effect.sync(() => {
          const next = script.states[Math.min(evaluated, script.states.length - 1)]
          evaluated += 1
          if (next === undefined) throw new Error("no state scripted")
          return next
        }),
      repair: script.noRepair
        ? undefined
        : (from) =>
            Effect.suspend(() => {
              repairsFrom.push(from)
              spend()
              return script.repairFails
                ? Effect.fail(
                    new GeneratorFailedError({ generator: "scripted", reason: "the model is down", cause: undefined })
                  )
                : Effect.succeed({ files: [], notes: [] })
            }),
      maxIterations: script.maxIterations,
      tokenBudget: script.tokenBudget,
      usage: Effect.sync(() => ({ ...usage })),
      usageBefore: { calls: 100, tokens: 1000 },
      onIteration: (iteration) => Effect.sync(() => void seen.push(iteration)),
      makeIteration: (fields) => new RepairIteration(fields)
    })
    return { loop, evaluated, repairsFrom, seen }
  })

describe("repairLoop", () => {
  it.effect("runs exactly maxIterations rounds in all, the first answer included", () =>
    Effect.gen(function* () {
      const bad = failing("tests-failed")
      for (const maxIterations of [1, 2, 3]) {
        const { loop, evaluated } = yield* run({ states: [bad], maxIterations })
        expect(loop.iterations.map((i) => i.index)).toEqual(Array.from({ length: maxIterations }, (_, i) => i + 1))
        expect(evaluated).toBe(maxIterations)
      }
    })
  )

  it.effect("stops at the first state that passes", () =>
    Effect.gen(function* () {
      const { loop, evaluated } = yield* run({
        states: [failing("tests-failed"), state({ outcome: "passed" }), failing("tests-failed")],
        maxIterations: 5
      })
      expect(evaluated).toBe(2)
      expect(loop.best.outcome).toBe("passed")
      expect(loop.bestIsStaged).toBe(true)
      expect(loop.notes).toEqual([])
    })
  )

  it.effect("without a repair, checks the first answer only", () =>
    Effect.gen(function* () {
      const { loop, evaluated } = yield* run({ states: [failing("tests-failed")], maxIterations: 5, noRepair: true })
      expect(evaluated).toBe(1)
      expect(loop.iterations).toHaveLength(1)
      expect(loop.iterations[0]).toMatchObject({ index: 1, reason: "initial", outcome: "tests-failed" })
    })
  )

  it.effect("keeps the best state, and says when the staging holds a worse one", () =>
    Effect.gen(function* () {
      const good = failing("tests-failed", 0.9)
      const worse = failing("tests-failed", 0.1)
      const { loop } = yield* run({ states: [good, worse], maxIterations: 2 })
      expect(loop.best).toBe(good)
      expect(loop.bestIsStaged).toBe(false)
      const equal = failing("tests-failed", 0.9)
      const tie = yield* run({ states: [good, equal], maxIterations: 2 })
      // An equal state is not better: the first stays best.
      expect(tie.loop.best).toBe(good)
      expect(tie.loop.bestIsStaged).toBe(false)
      const improving = yield* run({ states: [worse, good], maxIterations: 2 })
      expect(improving.loop.best).toBe(good)
      expect(improving.loop.bestIsStaged).toBe(true)
    })
  )

  it.effect("repairs from the best state, not the last one", () =>
    Effect.gen(function* () {
      const good = failing("tests-failed", 0.9)
      const worse = failing("tests-failed", 0.1)
      const { repairsFrom } = yield* run({ states: [good, worse, worse], maxIterations: 3 })
      expect(repairsFrom).toEqual([good, good])
    })
  )

  it.effect("starts no round once the tokens spent reach the budget, counting from the run's start", () =>
    Effect.gen(function* () {
      const bad = failing("tests-failed")
      // Each repair call spends 10 tokens: with a budget of 20, rounds start at 0 and 10 spent, not at 20.
      const at = yield* run({ states: [bad], maxIterations: 10, tokenBudget: 20 })
      expect(at.repairsFrom).toHaveLength(2)
      expect(at.loop.notes).toEqual(["repair stopped: the run's token budget (20) is spent"])
      const below = yield* run({ states: [bad], maxIterations: 10, tokenBudget: 21 })
      expect(below.repairsFrom).toHaveLength(3)
      const none = yield* run({ states: [bad], maxIterations: 10, tokenBudget: 0 })
      expect(none.repairsFrom).toHaveLength(0)
      const unlimited = yield* run({ states: [bad], maxIterations: 4 })
      expect(unlimited.repairsFrom).toHaveLength(3)
      expect(unlimited.loop.notes).toEqual([])
    })
  )

  it.effect("stops when a repair round fails, saying why", () =>
    Effect.gen(function* () {
      const { loop, evaluated } = yield* run({ states: [failing("tests-failed")], maxIterations: 5, repairFails: true })
      expect(evaluated).toBe(1)
      expect(loop.notes).toEqual(["repair stopped: the model is down"])
    })
  )

  it.effect("records each round: why it ran, its own calls and tokens, and where it left the change", () =>
    Effect.gen(function* () {
      const first = failing("compile-failed", 0.5, ["compile: a.ts:1 x", "test: t1", "compile: b.ts:2 y"])
      const second = failing("tests-failed", 0.6, ["test: t1"])
      const { loop, seen } = yield* run({ states: [first, second, second], maxIterations: 3, tokensPerCall: 7 })
      expect(seen).toEqual(loop.iterations)
      expect(
        loop.iterations.map(({ index, reason, calls, tokens, outcome, failures }) => ({
          index,
          reason,
          calls,
          tokens,
          outcome,
          failures
        }))
      ).toEqual([
        {
          index: 1,
          reason: "initial",
          calls: 0,
          tokens: 0,
          outcome: "compile-failed",
          failures: ["compile: a.ts:1 x", "test: t1", "compile: b.ts:2 y"]
        },
        {
          index: 2,
          reason: "repair compile, test (3 failure(s))",
          calls: 1,
          tokens: 7,
          outcome: "tests-failed",
          failures: ["test: t1"]
        },
        {
          index: 3,
          reason: "repair test (1 failure(s))",
          calls: 1,
          tokens: 7,
          outcome: "tests-failed",
          failures: ["test: t1"]
        }
      ])
    })
  )
})
