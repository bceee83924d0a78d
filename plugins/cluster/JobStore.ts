/**
 * JobStore: what Tamma keeps in Postgres beside the engine's own tables — one row per job (what
 * `jobs` lists), its progress events (what `job --follow` shows), each run of an activity (when it
 * started and ended, on which worker), and the clean-up of finished jobs' engine messages.
 */
import { PgMigrator } from "@effect/sql-pg"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { Migrator, SqlClient } from "effect/sql"
import { finishedChannel } from "./FinishedJobs.ts"
import { JobResult } from "./Job.ts"
import { createModelAnswersTable } from "./ModelAnswers.ts"
import { createPlacementTables } from "./Placement.ts"

/** A job's state as `jobs` shows it. */
export const JobState = Schema.Literals(["queued", "running", "success", "failed", "cancelled"])
export type JobState = typeof JobState.Type

/** One row of `tamma_jobs`. */
export class JobRow extends Schema.Class<JobRow>("@tamma/codegen/cluster/JobRow")({
  requestId: Schema.String,
  repository: Schema.String,
  baseRef: Schema.String,
  state: JobState,
  branch: Schema.NullOr(Schema.String),
  commit: Schema.NullOr(Schema.String),
  worker: Schema.NullOr(Schema.String),
  cancelRequested: Schema.Boolean,
  submittedAt: Schema.Date,
  startedAt: Schema.NullOr(Schema.Date),
  finishedAt: Schema.NullOr(Schema.Date)
}) {}

/** One run of an activity of a job. */
export class ActivityRun extends Schema.Class<ActivityRun>("@tamma/codegen/cluster/ActivityRun")({
  id: Schema.Number,
  requestId: Schema.String,
  repository: Schema.String,
  activity: Schema.String,
  worker: Schema.String,
  startedAt: Schema.Date,
  finishedAt: Schema.NullOr(Schema.Date)
}) {}

const finished: ReadonlyArray<JobState> = ["success", "failed", "cancelled"]
export const isFinished = (state: JobState): boolean => finished.includes(state)

const columns = `request_id AS "requestId", repository, base_ref AS "baseRef", state, branch, commit, worker,
  cancel_requested AS "cancelRequested", submitted_at AS "submittedAt", started_at AS "startedAt", finished_at AS "finishedAt"`

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(JobRow))
const decodeActivities = Schema.decodeUnknownEffect(Schema.Array(ActivityRun))
const decodeResult = Schema.decodeUnknownEffect(Schema.fromJsonString(JobResult))
const encodeResult = Schema.encodeSync(Schema.fromJsonString(JobResult))
const decodeEvents = Schema.decodeUnknownEffect(
  Schema.Array(Schema.Struct({ id: Schema.Number, event: Schema.String }))
)
const decodeCount = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ count: Schema.Number })))

/** Tamma's tables, created once, in order, under the migrator's lock (workers start together). */
const migrations = Migrator.fromRecord({
  "1_tamma_jobs": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE tamma_jobs (
      request_id TEXT PRIMARY KEY,
      repository TEXT NOT NULL,
      base_ref TEXT NOT NULL,
      execution_id TEXT NOT NULL,
      state TEXT NOT NULL,
      branch TEXT,
      commit TEXT,
      worker TEXT,
      result TEXT,
      cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
      submitted_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
      started_at TIMESTAMPTZ,
      finished_at TIMESTAMPTZ
    )`
    yield* sql`CREATE TABLE tamma_job_events (
      id BIGSERIAL PRIMARY KEY,
      request_id TEXT NOT NULL,
      event TEXT NOT NULL,
      at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
    )`
    yield* sql`CREATE INDEX tamma_job_events_request ON tamma_job_events (request_id, id)`
    yield* sql`CREATE TABLE tamma_job_activities (
      id BIGSERIAL PRIMARY KEY,
      request_id TEXT NOT NULL,
      repository TEXT NOT NULL,
      activity TEXT NOT NULL,
      worker TEXT NOT NULL,
      started_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
      finished_at TIMESTAMPTZ
    )`
  }),
  "2_tamma_model_answers": createModelAnswersTable,
  "3_tamma_placement": createPlacementTables,
  // A job's result is recorded by its run, before its workflow is done: housekeeping waits for the latter.
  "4_tamma_jobs_settled": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`ALTER TABLE tamma_jobs ADD COLUMN settled_at TIMESTAMPTZ`
    yield* sql`UPDATE tamma_jobs SET settled_at = finished_at`
  })
})

/** Runs Tamma's migrations: what a worker does on start. */
export const migrate = PgMigrator.run({ loader: migrations, table: "tamma_migrations" })

/** Tamma's job records in Postgres. */
export class JobStore extends Context.Service<
  JobStore,
  {
    /** Records a submitted job as queued; a job already known keeps its row. Whether it was new. */
    readonly submitted: (job: {
      readonly requestId: string
      readonly repository: string
      readonly baseRef: string
      readonly executionId: string
    }) => Effect.Effect<boolean>
    readonly started: (requestId: string, worker: string) => Effect.Effect<void>
    /** Records the job's result, unless it has one already (the first stays). */
    readonly finishedWith: (result: JobResult) => Effect.Effect<void>
    /** Records that the job's workflow is done: from then on its engine messages may be cleared. */
    readonly settled: (requestId: string) => Effect.Effect<void>
    readonly get: (requestId: string) => Effect.Effect<Option.Option<JobRow>>
    readonly result: (requestId: string) => Effect.Effect<Option.Option<JobResult>>
    readonly list: Effect.Effect<ReadonlyArray<JobRow>>
    /** Asks a job to stop; `false` when it had already finished. */
    readonly requestCancel: (requestId: string) => Effect.Effect<boolean>
    readonly cancelRequested: (requestId: string) => Effect.Effect<boolean>
    readonly addEvent: (requestId: string, event: string) => Effect.Effect<void>
    /** The job's progress events after `afterId`, oldest first. */
    readonly eventsAfter: (
      requestId: string,
      afterId: number
    ) => Effect.Effect<ReadonlyArray<{ readonly id: number; readonly event: string }>>
    /** Records the start of an activity run; returns its id for `activityEnded`. */
    readonly activityStarted: (run: {
      readonly requestId: string
      readonly repository: string
      readonly activity: string
      readonly worker: string
    }) => Effect.Effect<number>
    readonly activityEnded: (id: number) => Effect.Effect<void>
    /** Whether a run of the job's `activity` has started before (on any worker). */
    readonly activityRanBefore: (requestId: string, activity: string) => Effect.Effect<boolean>
    readonly activities: Effect.Effect<ReadonlyArray<ActivityRun>>
    /**
     * Deletes the engine's messages and replies, the progress events, the placements and the model's recorded answers, of
     * jobs whose workflow was done more than `retentionMs` ago (the engine keeps them forever); returns how many jobs it cleared.
     */
    readonly housekeep: (retentionMs: number) => Effect.Effect<number>
  }
>()("@tamma/codegen/cluster/JobStore") {
  static readonly layer = Layer.effect(
    JobStore,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      // A database that fails under a job is not the job's fault: the engine retries the work.
      const orDie = <A, E>(effect: Effect.Effect<A, E>) => Effect.orDie(effect)
      const rows = (query: Effect.Effect<ReadonlyArray<unknown>, unknown>) => orDie(Effect.flatMap(query, decodeRows))
      return JobStore.of({
        submitted: (job) =>
          orDie(
            Effect.map(
              sql`INSERT INTO tamma_jobs (request_id, repository, base_ref, execution_id, state)
                VALUES (${job.requestId}, ${job.repository}, ${job.baseRef}, ${job.executionId}, 'queued')
                ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
              (inserted) => inserted.length > 0
            )
          ),
        started: (requestId, worker) =>
          orDie(sql`UPDATE tamma_jobs SET state = 'running', worker = ${worker},
            started_at = COALESCE(started_at, clock_timestamp())
            WHERE request_id = ${requestId} AND state IN ('queued', 'running')`),
        // Notifies in the same statement: waiting submitters hear of it once it is committed. The
        // first result stays: a job has one.
        finishedWith: (result) =>
          orDie(sql`WITH done AS (UPDATE tamma_jobs SET state = ${result.status}, branch = ${result.branch ?? null},
            commit = ${result.commit ?? null}, result = ${encodeResult(result)}, finished_at = clock_timestamp()
            WHERE request_id = ${result.requestId} AND result IS NULL RETURNING request_id)
            SELECT pg_notify(${finishedChannel}, request_id) FROM done`),
        settled: (requestId) =>
          orDie(sql`UPDATE tamma_jobs SET settled_at = COALESCE(settled_at, clock_timestamp())
            WHERE request_id = ${requestId}`),
        get: (requestId) =>
          Effect.map(
            rows(sql.unsafe(`SELECT ${columns} FROM tamma_jobs WHERE request_id = $1`, [requestId])),
            (found) => Option.fromNullishOr(found[0])
          ),
        result: (requestId) =>
          orDie(
            Effect.gen(function* () {
              const found = yield* sql<{
                readonly result: string | null
              }>`SELECT result FROM tamma_jobs WHERE request_id = ${requestId}`
              const text = found[0]?.result
              return text === undefined || text === null ? Option.none() : Option.some(yield* decodeResult(text))
            })
          ),
        list: rows(sql.unsafe(`SELECT ${columns} FROM tamma_jobs ORDER BY submitted_at, request_id`)),
        requestCancel: (requestId) =>
          orDie(
            Effect.map(
              sql`UPDATE tamma_jobs SET cancel_requested = TRUE
                WHERE request_id = ${requestId} AND state IN ('queued', 'running') RETURNING request_id`,
              (updated) => updated.length > 0
            )
          ),
        cancelRequested: (requestId) =>
          orDie(
            Effect.map(
              sql<{
                readonly c: boolean
              }>`SELECT cancel_requested AS c FROM tamma_jobs WHERE request_id = ${requestId}`,
              (found) => found[0]?.c === true
            )
          ),
        addEvent: (requestId, event) =>
          orDie(sql`INSERT INTO tamma_job_events (request_id, event) VALUES (${requestId}, ${event})`),
        eventsAfter: (requestId, afterId) =>
          orDie(
            Effect.flatMap(
              sql`SELECT id::float8 AS id, event FROM tamma_job_events
                WHERE request_id = ${requestId} AND id > ${afterId} ORDER BY id`,
              decodeEvents
            )
          ),
        activityStarted: (run) =>
          orDie(
            Effect.map(
              sql<{ readonly id: number }>`INSERT INTO tamma_job_activities (request_id, repository, activity, worker)
                VALUES (${run.requestId}, ${run.repository}, ${run.activity}, ${run.worker}) RETURNING id::float8 AS id`,
              (inserted) => inserted[0]?.id ?? -1
            )
          ),
        activityEnded: (id) =>
          orDie(sql`UPDATE tamma_job_activities SET finished_at = clock_timestamp() WHERE id = ${id}`),
        activityRanBefore: (requestId, activity) =>
          orDie(
            Effect.map(
              sql<{ readonly ran: boolean }>`SELECT EXISTS (SELECT 1 FROM tamma_job_activities
                WHERE request_id = ${requestId} AND activity = ${activity}) AS ran`,
              (found) => found[0]?.ran === true
            )
          ),
        activities: orDie(
          Effect.flatMap(
            sql`SELECT id::float8 AS id, request_id AS "requestId", repository, activity, worker,
              started_at AS "startedAt", finished_at AS "finishedAt" FROM tamma_job_activities ORDER BY id`,
            decodeActivities
          )
        ),
        housekeep: (retentionMs) =>
          orDie(
            sql.withTransaction(
              Effect.gen(function* () {
                const cutoff = `${Math.max(0, Math.floor(retentionMs))} milliseconds`
                // The engine's messages of a job: its Generate call (keyed by the request id), its
                // workflow's (addressed to the execution id) and its Run call (to its placed entity, or
                // to `requestId/0` when placement failed and left no row).
                const owned = `SELECT m.id FROM cluster_messages m JOIN tamma_jobs j
                  ON m.entity_id = j.execution_id OR right(m.message_id, length(j.request_id) + 10) = '/Generate/' || j.request_id
                  OR (m.entity_type = 'JobRun' AND (m.entity_id = j.request_id || '/0' OR m.entity_id IN
                    (SELECT p.entity_id FROM tamma_job_placements p WHERE p.request_id = j.request_id)))
                  WHERE j.settled_at < clock_timestamp() - $1::interval`
                yield* sql.unsafe(`DELETE FROM cluster_replies WHERE request_id IN (${owned})`, [cutoff])
                yield* sql.unsafe(`DELETE FROM cluster_messages WHERE id IN (${owned})`, [cutoff])
                const cleared = yield* sql.unsafe(
                  `DELETE FROM tamma_job_events e USING tamma_jobs j
                    WHERE e.request_id = j.request_id AND j.settled_at < clock_timestamp() - $1::interval
                    RETURNING e.request_id`,
                  [cutoff]
                )
                yield* sql.unsafe(
                  `DELETE FROM tamma_job_placements p USING tamma_jobs j
                    WHERE p.request_id = j.request_id AND j.settled_at < clock_timestamp() - $1::interval`,
                  [cutoff]
                )
                yield* sql.unsafe(
                  `DELETE FROM tamma_model_answers a USING tamma_jobs j
                    WHERE a.request_id = j.request_id AND j.settled_at < clock_timestamp() - $1::interval`,
                  [cutoff]
                )
                return new Set(cleared.map((row) => JSON.stringify(row))).size
              })
            )
          )
      })
    })
  )
}

/** How many of the engine's messages are stored now (what housekeeping keeps bounded). */
export const countEngineMessages = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const counted = yield* Effect.flatMap(sql`SELECT count(*)::float8 AS count FROM cluster_messages`, decodeCount)
  return counted[0]?.count ?? 0
})
