/**
 * The repair loop of DESIGN §7: each state of the change is checked as a whole (edits applied,
 * compiled, gate, tests); while anything fails and rounds remain, the generator gets one repair
 * round with every failure, and the best state seen is kept by a fixed order:
 *
 *   a change at all > every edit applied > tests pass > compiles > gate met > score.
 *
 * The loop only decides; the caller checks states (`evaluate`) and stages the one kept.
 */
import { Effect } from "effect"
import type { CompileReport } from "../domain/CompileReport.ts"
import type { QualityResult } from "../domain/Quality.ts"
import type { RepairIteration, RepairOutcome } from "../domain/Result.ts"
import type { TestReport } from "../domain/TestReport.ts"
import type {
  CompileFailedError,
  EditFailedError,
  NoChangeError,
  QualityGateError,
  TestsFailedError
} from "../errors.ts"
import type { StagedChange } from "../services/FileManager.ts"
import type { GeneratorError, GeneratorOutput } from "../services/GeneratorRegistry.ts"

/** A generated file after formatting and checking. */
export interface CheckedFile {
  readonly path: string
  readonly language: string
  readonly content: string
  readonly quality: QualityResult
}

/** Why a state of the change is not acceptable, in the order the checks run. */
export type StateError = NoChangeError | EditFailedError | CompileFailedError | QualityGateError | TestsFailedError

/** One state of the change, checked. */
export interface CheckedState {
  /** The generator output it was made from (files as answered, before formatting). */
  readonly output: GeneratorOutput
  readonly files: ReadonlyArray<CheckedFile>
  readonly changes: ReadonlyArray<StagedChange>
  readonly compile: CompileReport | undefined
  readonly tests: TestReport | undefined
  readonly gateMet: boolean
  /** The tests passed, or there were none to run, or they were disabled. */
  readonly testsPassed: boolean
  /** Mean quality score of the files. */
  readonly score: number
  readonly outcome: RepairOutcome
  /** The first failure in check order, or undefined when the state passed. */
  readonly error: StateError | undefined
  /** Every failure, one entry each, as told to people and to the model. */
  readonly failures: ReadonlyArray<string>
}

const rank = (state: CheckedState): ReadonlyArray<number> => [
  state.outcome === "no-change" ? 0 : 1,
  state.outcome === "edits-failed" ? 0 : 1,
  state.testsPassed ? 1 : 0,
  state.compile?.status === "failed" ? 0 : 1,
  state.gateMet ? 1 : 0,
  state.score
]

/** How a failure of each kind is written, so the model (and people) can tell them apart. */
export const failureLine = {
  edit: (text: string) => `edit: ${text}`,
  compile: (text: string) => `compile: ${text}`,
  gate: (text: string) => `gate: ${text}`,
  test: (text: string) => `test: ${text}`,
  missing: (text: string) => `missing: ${text}`
}

/** Whether `a` is a better state than `b`. */
export const better = (a: CheckedState, b: CheckedState): boolean => {
  const ra = rank(a)
  const rb = rank(b)
  for (let i = 0; i < ra.length; i++) {
    const x = ra[i] ?? 0
    const y = rb[i] ?? 0
    if (x !== y) return x > y
  }
  return false
}

export interface RepairLoopInput<E, R> {
  readonly first: GeneratorOutput
  /** Checks a state; the staging area holds it afterwards. */
  readonly evaluate: (output: GeneratorOutput) => Effect.Effect<CheckedState, E, R>
  /** One repair round from `state`; undefined when the generator has none (template-only). */
  readonly repair: ((state: CheckedState) => Effect.Effect<GeneratorOutput, GeneratorError, R>) | undefined
  /** Rounds in all, the first answer included. */
  readonly maxIterations: number
  /** Tokens this run's model calls may use in all (counted from `usageBefore`); no repair round starts past it. */
  readonly tokenBudget: number | undefined
  /** Calls and tokens used so far by the run's model calls. */
  readonly usage: Effect.Effect<{ readonly calls: number; readonly tokens: number }>
  /** The usage before the first answer was asked for: the first round's calls count from there. */
  readonly usageBefore: { readonly calls: number; readonly tokens: number }
  readonly onIteration: (iteration: RepairIteration) => Effect.Effect<void>
  readonly makeIteration: (fields: {
    readonly index: number
    readonly reason: string
    readonly calls: number
    readonly tokens: number
    readonly outcome: RepairOutcome
    readonly failures: ReadonlyArray<string>
  }) => RepairIteration
}

export interface RepairLoopOutput {
  readonly best: CheckedState
  /** Whether the staging area holds `best` (it holds the last state checked). */
  readonly bestIsStaged: boolean
  readonly iterations: ReadonlyArray<RepairIteration>
  readonly notes: ReadonlyArray<string>
}

const reasonOf = (state: CheckedState) => {
  const kinds = new Set(state.failures.map((f) => f.slice(0, f.indexOf(":"))))
  return `repair ${[...kinds].join(", ")} (${state.failures.length} failure(s))`
}

export const repairLoop = Effect.fnUntraced(function* <E, R>(input: RepairLoopInput<E, R>) {
  const iterations: Array<RepairIteration> = []
  const notes: Array<string> = []
  let start = input.usageBefore
  const record = Effect.fnUntraced(function* (index: number, reason: string, state: CheckedState) {
    const now = yield* input.usage
    const iteration = input.makeIteration({
      index,
      reason,
      calls: now.calls - start.calls,
      tokens: now.tokens - start.tokens,
      outcome: state.outcome,
      failures: state.failures
    })
    start = now
    iterations.push(iteration)
    yield* input.onIteration(iteration)
  })

  let best = yield* input.evaluate(input.first)
  let bestIsStaged = true
  yield* record(1, "initial", best)
  const repair = input.repair
  while (best.outcome !== "passed" && repair !== undefined && iterations.length < input.maxIterations) {
    const spent = (yield* input.usage).tokens - input.usageBefore.tokens
    if (input.tokenBudget !== undefined && spent >= input.tokenBudget) {
      notes.push(`repair stopped: the run's token budget (${input.tokenBudget}) is spent`)
      break
    }
    const reason = reasonOf(best)
    const answer = yield* Effect.result(repair(best))
    if (answer._tag === "Failure") {
      notes.push(`repair stopped: ${answer.failure.message}`)
      break
    }
    const state = yield* input.evaluate(answer.success)
    yield* record(iterations.length + 1, reason, state)
    if (better(state, best)) {
      best = state
      bestIsStaged = true
    } else {
      bestIsStaged = false
    }
  }
  return { best, bestIsStaged, iterations, notes } satisfies RepairLoopOutput
})
