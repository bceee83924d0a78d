/**
 * RunRecorder: what happened in a run, as it happens — each pipeline step timed and published,
 * the rounds and the state the repair loop ended on, and the outcome once the change is written —
 * so that the result can report it however the run ends.
 */
import { Clock, Effect, Exit } from "effect"
import { type RepairIteration, StepTiming } from "../domain/Result.ts"
import { makeRunId } from "../domain/RunRecord.ts"
import type { Progress } from "../services/Progress.ts"
import type { RunOutcome } from "./BuildResult.ts"
import type { CheckedState } from "./Repair.ts"

/** What a run learnt on the way: its result reports it even when the run fails. */
export interface RunFacts {
  readonly iterations: ReadonlyArray<RepairIteration>
  /** The state the repair loop ended on: on failure, what would have been written. */
  readonly state: CheckedState | undefined
  /** Why the repair loop stopped early, when it did. */
  readonly notes: ReadonlyArray<string>
  /** Its files come from a model, so an unsafe path among them is the model's, not the user's. */
  readonly modelBacked: boolean
  /** Set once the run's transaction has ended well: the change is written and stands. */
  readonly written: RunOutcome | undefined
}

export interface RunRecorder {
  readonly runId: string
  readonly startedAt: number
  readonly timings: ReadonlyArray<StepTiming>
  /**
   * Runs `effect` as the step `name`: progress before and after, its duration recorded. A step
   * whose effect succeeds with a failing outcome (a test report with failures) says so with `failed`.
   */
  readonly step: <A, E, R>(
    name: string,
    effect: Effect.Effect<A, E, R>,
    detail?: (a: A) => string,
    failed?: (a: A) => boolean
  ) => Effect.Effect<A, E, R>
  readonly skip: (name: string, detail: string) => Effect.Effect<void>
  /** Records what the run learnt (the generator's kind, the loop's end, the written outcome). */
  readonly learn: (facts: Partial<RunFacts>) => Effect.Effect<void>
  /** Everything recorded so far. */
  readonly facts: Effect.Effect<RunFacts>
}

export const makeRunRecorder = (progress: Progress["Service"]) =>
  Effect.gen(function* () {
    const startedAt = yield* Clock.currentTimeMillis
    const runId = makeRunId(startedAt)
    const timings: Array<StepTiming> = []
    let learnt: RunFacts = { iterations: [], state: undefined, notes: [], modelBacked: false, written: undefined }
    const finish = (step: string, status: StepTiming["status"], durationMs: number, detail?: string) =>
      Effect.suspend(() => {
        timings.push(new StepTiming({ step, status, durationMs, detail }))
        return progress.publish({ _tag: "StepFinished", runId, step, status, durationMs, detail })
      })
    const recorder: RunRecorder = {
      runId,
      startedAt,
      timings,
      step: (name, effect, detail, failed) =>
        Effect.gen(function* () {
          yield* progress.publish({ _tag: "StepStarted", runId, step: name })
          const start = yield* Clock.currentTimeMillis
          const exit = yield* Effect.exit(effect)
          const durationMs = (yield* Clock.currentTimeMillis) - start
          if (Exit.isSuccess(exit)) {
            yield* finish(name, failed?.(exit.value) ? "failed" : "done", durationMs, detail?.(exit.value))
          } else {
            yield* finish(name, "failed", durationMs)
          }
          return yield* exit
        }),
      skip: (name, detail) => finish(name, "skipped", 0, detail),
      learn: (facts) =>
        Effect.sync(() => {
          learnt = { ...learnt, ...facts }
        }),
      facts: Effect.sync(() => learnt)
    }
    return recorder
  })
