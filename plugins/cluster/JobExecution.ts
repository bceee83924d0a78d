/**
 * JobExecution: one job on one worker — the worker's checkout of the repository at the job's base,
 * the pipeline on it, and its commit pushed back on the job's branch. Safe to run again after a
 * worker died anywhere in it: a branch that already holds a run's commit is the job's result, and
 * nothing is committed or pushed twice.
 */
import { Effect, Layer, Schedule } from "effect"
import { SqlClient } from "effect/sql"
import { type GenerationJob, JobResult, jobBranch, normaliseRepositoryUrl } from "./Job.ts"
import { JobPipeline, type PipelineOutcome } from "./JobPipeline.ts"
import { JobStore } from "./JobStore.ts"
import { recordedAnswers } from "./ModelAnswers.ts"
import { findRunCommit, pushBranch } from "./RepositoryCheckout.ts"
import { WarmCheckouts } from "./WarmCheckouts.ts"

/** The files a run's commit message lists (`- create src/a.ts`): what a re-run reports without re-reading the tree. */
const filesOfMessage = (message: string): ReadonlyArray<string> =>
  message
    .split("\n")
    .map((line) => /^- \S+ (.+)$/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined)

const resultOf = (job: GenerationJob, fields: Partial<JobResult> & Pick<JobResult, "status">) =>
  new JobResult({
    requestId: job.requestId,
    repository: normaliseRepositoryUrl(job.repository.url),
    files: [],
    errors: [],
    pipelineMs: 0,
    ...fields
  })

/** Resolves once the job's cancellation was asked for. */
const cancelAsked = (requestId: string) =>
  Effect.gen(function* () {
    const store = yield* JobStore
    yield* store
      .cancelRequested(requestId)
      .pipe(Effect.repeat({ until: (asked) => asked, schedule: Schedule.spaced("200 millis") }))
  })

/** A job's cancelled result: nothing of it reached the repository. */
export const cancelledResult = (job: GenerationJob) =>
  resultOf(job, { status: "cancelled", errors: ["cancelled before its change was pushed"] })

/** Runs `job` from the repository at `base` (a commit id); never fails: a failure is a failed result. */
export const runJob = Effect.fn("JobExecution.runJob")(function* (job: GenerationJob, base: string) {
  const store = yield* JobStore
  const pipeline = yield* JobPipeline
  const branch = jobBranch(job)
  const earlier = yield* findRunCommit(job.repository, branch)
  if (earlier !== undefined) {
    // A run of this job pushed before its worker died: that is the result.
    return resultOf(job, { status: "success", branch, commit: earlier.sha, files: filesOfMessage(earlier.message) })
  }
  const checkout = yield* (yield* WarmCheckouts).checkout(job.repository, base)
  const workspace = checkout.dir
  const database = Layer.succeed(SqlClient.SqlClient, yield* SqlClient.SqlClient)
  const answers = recordedAnswers(job.requestId).pipe(Layer.provide(database))
  const started = Date.now()
  const run: Effect.Effect<PipelineOutcome | "cancelled", never, JobStore> = Effect.raceFirst(
    pipeline.run({
      job,
      workspace,
      branch,
      onProgress: (event) => store.addEvent(job.requestId, event),
      recordAnswers: (live) => answers.pipe(Layer.provide(live))
    }),
    Effect.as(cancelAsked(job.requestId), "cancelled" as const)
  )
  const result = yield* run
  const pipelineMs = Date.now() - started
  if (result === "cancelled") return cancelledResult(job)
  // A run that ended on its own left its work tree as a run leaves it: the next job resets it.
  yield* checkout.keep
  const files = result.files
  if (!result.succeeded || result.commit === undefined) {
    const errors = result.errors.length > 0 ? result.errors : ["the run made no commit"]
    return resultOf(job, { status: "failed", files, errors, pipelineMs })
  }
  // The last moment a cancellation still writes nothing.
  if (yield* store.cancelRequested(job.requestId)) return cancelledResult(job)
  yield* pushBranch(job.repository, workspace, branch, result.commit)
  return resultOf(job, { status: "success", branch, commit: result.commit, files, pipelineMs })
}, Effect.scoped)
