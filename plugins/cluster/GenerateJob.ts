/**
 * The engine mapping: an entity per repository (its id the normalised URL), so two jobs on one
 * repository never overlap and run in submit order; a persisted `Generate` RPC keyed by the
 * request id, so a job submitted twice runs once and both submitters get its result; and the
 * `GenerateJob` workflow keyed by the request id, whose activities are saved as they complete so
 * that a job resumed on another worker does not redo them. The workflow lives where the engine's
 * hash puts it; its pipeline runs on the worker `placeJob` chose (the most free slots), through a
 * persisted `Run` call to a per-job `JobRun` entity whose id falls on that worker's shards.
 */
import { Effect, Layer, Option, Schema } from "effect"
import { ClusterSchema, Entity, EntityId } from "effect/cluster"
import { Rpc } from "effect/rpc"
import { Activity, Workflow } from "effect/workflow"
import { GenerationJob, JobResult, normaliseRepositoryUrl } from "./Job.ts"
import { cancelledResult, runJob } from "./JobExecution.ts"
import { JobStore } from "./JobStore.ts"
import { placeJob } from "./Placement.ts"
import { resolveBase } from "./RepositoryCheckout.ts"
import { retrySending } from "./SendRetry.ts"
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

/**
 * The persisted call that runs a job's pipeline on the worker its placement chose. Keyed by the
 * request id, so a workflow that sends it again (resumed elsewhere) joins the first call; an
 * interrupted caller never interrupts the run (only the run's own worker stopping does, and then
 * the message runs where its shard moves).
 */
export const Run = Rpc.make("Run", {
  payload: { job: GenerationJob, base: Schema.String },
  success: JobResult,
  primaryKey: ({ job }) => job.requestId
})
  .annotate(ClusterSchema.Persisted, true)
  .annotate(ClusterSchema.Uninterruptible, "client")

/** One entity per job run, its id chosen by `placeJob` so that it lives on the chosen worker. */
export const JobRun = Entity.make("JobRun", [Run])

/** The shard group of `JobRun` entities, whose shards workers publish for placement. */
export const jobRunShardGroup = JobRun.getShardGroup(EntityId.make("any"))

/**
 * What the prepare activity saves: the base commit, or that the job was cancelled before it
 * started, and where its pipeline runs (chosen here, one saved step less than an activity of its own).
 * What the version before placement saved has no `entityId`: that job resumes as it began.
 */
export const Prepared = Schema.Struct({
  base: Schema.String,
  cancelled: Schema.Boolean,
  entityId: Schema.optional(Schema.String)
})

/** Sends the job's `Run` call to `entityId`; what fails is the sending (the call is stored first), so it is tried again. */
const sendRun = (job: GenerationJob, entityId: string, base: string) =>
  retrySending(
    Effect.gen(function* () {
      const client = yield* JobRun.client
      return yield* client(entityId).Run({ job, base })
    })
  )

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

/**
 * The workflow's implementation: the prepare activity (base commit, placement), the `Run` call
 * (pipeline, commit, push, result, on the placed worker), and the finish step (what the run did
 * not record, and that the workflow is done).
 */
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
          if (yield* store.cancelRequested(job.requestId)) return { base: "", cancelled: true, entityId: "" }
          yield* store.started(job.requestId, gate.worker)
          // Side by side: the placement is a few round trips to Postgres, the base a read of the repository.
          const [base, placed] = yield* Effect.zip(
            resolveBase(job.repository).pipe(Effect.catchTag("GitError", () => Effect.succeed(""))),
            placeJob(job.requestId, jobRunShardGroup),
            { concurrent: true }
          )
          return { base, cancelled: false, entityId: base === "" ? "" : placed.entityId }
        })
      )
    })
    const result: JobResult = prepared.cancelled
      ? cancelledResult(job)
      : prepared.base === ""
        ? failedResult(job, `GitError: ${job.repository.baseRef} is not a ref of ${job.repository.url}`)
        : prepared.entityId !== undefined
          ? // Not an activity: the call is itself stored and keyed by the request id, so a workflow
            // resumed elsewhere joins the first call instead of running the pipeline again.
            yield* sendRun(job, prepared.entityId, prepared.base)
          : // Prepared by the version before placement, whose pipeline was the `generate` activity: a
            // run of it that completed is saved, and replayed here instead of paying the model again;
            // one that did not sends the run where the id hashes (the same id on every replay).
            yield* Activity.make({
              name: "generate",
              success: JobResult,
              execute: sendRun(job, `${job.requestId}/0`, prepared.base)
            })
    // Not an activity either (one stored round trip less before the repository's next job): both
    // writes are idempotent, so a replayed workflow doing them again changes nothing. The run
    // recorded its result already (waiting submitters saw it then); this records the others
    // (cancelled, a bad base), and that the job's engine messages may now be cleared.
    yield* recorded(job, "finish", Effect.andThen(store.finishedWith(result), store.settled(job.requestId)))
    return result
  })
)

/** The entity's implementation: each `Generate` runs (or joins) the job's workflow. */
export const RepositoryLive = Repository.toLayer(
  Effect.succeed(Repository.of({ Generate: ({ payload }) => GenerateJob.execute(payload) })),
  { maxIdleTime: "1 minute" }
)

/** Runs the pipeline of a job, behind the worker's gate, recorded as the job's `generate` run; records its result. */
const generate = (job: GenerationJob, base: string) =>
  Effect.gen(function* () {
    const store = yield* JobStore
    const gate = yield* WorkerGate
    // A run whose job has a result already (its worker died before the reply was saved) is that result.
    const known = yield* store.result(job.requestId)
    if (Option.isSome(known)) return known.value
    // Recorded once it holds a slot: a job waiting at a draining worker's gate has not started.
    // One whose worker died mid-run waits ahead of the jobs that have not started.
    const result = yield* gate.run(
      recorded(
        job,
        "generate",
        Effect.gen(function* () {
          yield* store.started(job.requestId, gate.worker)
          return yield* runJob(job, base).pipe(
            Effect.catchTag("GitError", (error) =>
              Effect.succeed(failedResult(job, `GitError: ${error.operation}: ${error.detail}`))
            )
          )
        })
      ),
      { ahead: store.activityRanBefore(job.requestId, "generate") }
    )
    // Recorded here, not after the workflow's next step: the submitter hears of it one round trip sooner.
    yield* store.finishedWith(result)
    return result
  })

/** The per-job entity's implementation: its one `Run` call runs the pipeline here. */
export const JobRunLive = JobRun.toLayer(
  Effect.succeed(JobRun.of({ Run: ({ payload }) => generate(payload.job, payload.base) })),
  { maxIdleTime: "10 seconds" }
)

/** All three, for a worker: needs the workflow engine, the store, the gate and the pipeline. */
export const jobHandlersLayer = Layer.mergeAll(GenerateJobLive, RepositoryLive, JobRunLive)
