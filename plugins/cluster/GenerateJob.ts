/**
 * The engine mapping: an entity per repository (its id the normalised URL), so two jobs on one
 * repository never overlap and run in submit order; a persisted `Generate` RPC keyed by the
 * request id, so a job submitted twice runs once and both submitters get its result; and the
 * `GenerateJob` workflow keyed by the request id, whose activities are saved as they complete so
 * that a job resumed on another worker does not redo them.
 */
import { Effect, Layer, Schema } from "effect"
import { ClusterSchema, Entity } from "effect/cluster"
import { Rpc } from "effect/rpc"
import { Activity, Workflow } from "effect/workflow"
import { GenerationJob, JobResult, normaliseRepositoryUrl } from "./Job.ts"
import { cancelledResult, runJob } from "./JobExecution.ts"
import { JobStore } from "./JobStore.ts"
import { resolveBase } from "./RepositoryCheckout.ts"
import { WorkerGate } from "./WorkerGate.ts"

/** The workflow of one job. */
export const GenerateJob = Workflow.make("GenerateJob", {
  payload: GenerationJob,
  success: JobResult,
  idempotencyKey: ({ requestId }) => requestId
})

/** The persisted call that queues a job on its repository's entity. */
export const Generate = Rpc.make("Generate", {
  payload: GenerationJob.fields,
  success: JobResult,
  primaryKey: ({ requestId }) => requestId
}).annotate(ClusterSchema.Persisted, true)

/** One entity per repository: its mailbox runs one job at a time, in the order they were sent. */
export const Repository = Entity.make("Repository", [Generate])

/** The entity id of a job: its repository, normalised. */
export const entityIdOf = (job: GenerationJob): string => normaliseRepositoryUrl(job.repository.url)

/** What the prepare activity saves: the base commit, or that the job was cancelled before it started. */
const Prepared = Schema.Struct({ base: Schema.String, cancelled: Schema.Boolean })

/** Records each run of an activity (start, end, worker): what shows that completed ones are not re-run. */
const recorded = <A, E, R>(job: GenerationJob, activity: string, effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const store = yield* JobStore
    const gate = yield* WorkerGate
    const id = yield* store.activityStarted({
      requestId: job.requestId,
      repository: normaliseRepositoryUrl(job.repository.url),
      activity,
      worker: gate.worker
    })
    const value = yield* effect
    yield* store.activityEnded(id)
    return value
  })

const failedResult = (job: GenerationJob, reason: string) =>
  new JobResult({
    requestId: job.requestId,
    repository: normaliseRepositoryUrl(job.repository.url),
    status: "failed",
    files: [],
    errors: [reason],
    pipelineMs: 0
  })

/** The workflow's implementation: prepare (base commit), generate (pipeline, commit, push), finish (record). */
export const GenerateJobLive = GenerateJob.toLayer(
  Effect.fnUntraced(function* (job) {
    const store = yield* JobStore
    const gate = yield* WorkerGate
    const prepared = yield* Activity.make({
      name: "prepare",
      success: Prepared,
      execute: recorded(
        job,
        "prepare",
        Effect.gen(function* () {
          if (yield* store.cancelRequested(job.requestId)) return { base: "", cancelled: true }
          yield* store.started(job.requestId, gate.worker)
          const base = yield* resolveBase(job.repository).pipe(Effect.catchTag("GitError", () => Effect.succeed("")))
          return { base, cancelled: false }
        })
      )
    })
    const result: JobResult = prepared.cancelled
      ? cancelledResult(job)
      : prepared.base === ""
        ? failedResult(job, `GitError: ${job.repository.baseRef} is not a ref of ${job.repository.url}`)
        : yield* Activity.make({
            name: "generate",
            success: JobResult,
            // Recorded once it holds a slot: a job waiting at a draining worker's gate has not started.
            // One whose worker died mid-run waits ahead of the jobs that have not started.
            execute: gate.run(
              recorded(
                job,
                "generate",
                Effect.gen(function* () {
                  yield* store.started(job.requestId, gate.worker)
                  return yield* runJob(job, prepared.base).pipe(
                    Effect.catchTag("GitError", (error) =>
                      Effect.succeed(failedResult(job, `GitError: ${error.operation}: ${error.detail}`))
                    )
                  )
                })
              ),
              { ahead: store.activityRanBefore(job.requestId, "generate") }
            )
          })
    yield* Activity.make({
      name: "finish",
      execute: recorded(job, "finish", store.finishedWith(result))
    })
    return result
  })
)

/** The entity's implementation: each `Generate` runs (or joins) the job's workflow. */
export const RepositoryLive = Repository.toLayer(
  Effect.succeed(Repository.of({ Generate: ({ payload }) => GenerateJob.execute(payload) })),
  { maxIdleTime: "1 minute" }
)

/** Both, for a worker: needs the workflow engine, the store, the gate and the pipeline. */
export const jobHandlersLayer = Layer.mergeAll(GenerateJobLive, RepositoryLive)
