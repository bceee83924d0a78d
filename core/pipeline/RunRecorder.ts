/**
 * RunRecorder: times each pipeline step, publishes its progress, and keeps the timings for the metadata.
 */
import { Clock, Effect, Exit } from "effect"
import { StepTiming } from "../domain/Result.ts"
import { makeRunId } from "../domain/RunRecord.ts"
import type { Progress } from "../services/Progress.ts"

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
}

export const makeRunRecorder = (progress: Progress["Service"]) =>
  Effect.gen(function* () {
    const startedAt = yield* Clock.currentTimeMillis
    const runId = makeRunId(startedAt)
    const timings: Array<StepTiming> = []
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
      skip: (name, detail) => finish(name, "skipped", 0, detail)
    }
    return recorder
  })
