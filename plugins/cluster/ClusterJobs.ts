/**
 * The library's way in: submit a job, await its result, follow its progress, cancel it, list
 * jobs. Runs where `clientLayer` is provided (any machine that reaches the database).
 */
import { Effect, Option, Schedule, Schema, Stream } from "effect"
import { ProgressEvent } from "../../core/domain/Progress.ts"
import { FinishedJobs, fallbackLook } from "./FinishedJobs.ts"
import { entityIdOf, GenerateJob, Repository } from "./GenerateJob.ts"
import type { GenerationJob, JobResult } from "./Job.ts"
import { isFinished, JobStore } from "./JobStore.ts"

const decodeEvent = Schema.decodeUnknownOption(Schema.fromJsonString(ProgressEvent))

/** How often `progress` looks for new events. */
const pollEvery = Schedule.spaced("50 millis")

/**
 * Queues `job` on its repository and returns without waiting. A request id already submitted
 * queues nothing new: the job runs once.
 */
export const submit = Effect.fn("ClusterJobs.submit")(function* (job: GenerationJob) {
  const store = yield* JobStore
  const isNew = yield* store.submitted({
    requestId: job.requestId,
    repository: entityIdOf(job),
    baseRef: job.repository.baseRef,
    executionId: yield* GenerateJob.executionId(job)
  })
  // Known and finished (its engine messages perhaps already cleared): nothing to send.
  if (!isNew && Option.isSome(yield* store.result(job.requestId))) return job.requestId
  const client = yield* Repository.client
  yield* client(entityIdOf(job)).Generate(job, { discard: true })
  return job.requestId
})

/**
 * The job's result once it has one: read when the store's notification for it arrives (listening
 * before each read, so none is missed), and every `fallbackLook` in case one was lost.
 */
export const awaitResult = Effect.fn("ClusterJobs.await")(function* (requestId: string) {
  const store = yield* JobStore
  const finished = yield* FinishedJobs
  const look: Effect.Effect<Option.Option<JobResult>> = Effect.scoped(
    Effect.gen(function* () {
      const notified = yield* finished.subscribe(requestId)
      const found = yield* store.result(requestId)
      if (Option.isNone(found)) yield* Effect.timeoutOption(notified, fallbackLook)
      return found
    })
  )
  return yield* look.pipe(
    Effect.repeat({ until: Option.isSome }),
    Effect.map((found) => Option.getOrThrow(found))
  )
})

/** Submits `job` and waits for its result (the first submission's, when it was submitted before). */
export const submitAndAwait = Effect.fn("ClusterJobs.submitAndAwait")(function* (job: GenerationJob) {
  yield* submit(job)
  const result: JobResult = yield* awaitResult(job.requestId)
  return result
})

/** The job's progress events as the pipeline published them, from the first; ends when the job has. */
export const progress = (requestId: string): Stream.Stream<ProgressEvent, never, JobStore> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const store = yield* JobStore
      let last = 0
      let done = false
      const page = Effect.gen(function* () {
        // Read the state first: events stored before a finished state are all there.
        const row = yield* store.get(requestId)
        const finished = Option.exists(row, (job) => isFinished(job.state))
        const events = yield* store.eventsAfter(requestId, last)
        for (const event of events) last = event.id
        if (finished) done = true
        return events.flatMap((event) => Option.toArray(decodeEvent(event.event)))
      })
      const pages = Stream.fromSchedule(pollEvery).pipe(
        Stream.mapEffect(() => page),
        Stream.takeUntil(() => done)
      )
      return pages.pipe(Stream.flatMap((events) => Stream.fromIterable(events)))
    })
  )

/** Asks the job to stop; `false` when it has already finished. A cancelled job pushes nothing. */
export const cancel = Effect.fn("ClusterJobs.cancel")(function* (requestId: string) {
  return yield* (yield* JobStore).requestCancel(requestId)
})

/** Every job known, oldest first. */
export const list = Effect.gen(function* () {
  return yield* (yield* JobStore).list
})
