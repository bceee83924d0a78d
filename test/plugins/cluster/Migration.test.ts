/**
 * Upgrading a database made by the previous version of Tamma's tables (version 2: jobs, events,
 * activity runs, model answers; no placement, no `settled_at`). It is built here with that
 * version's own statements (frozen below, as commit 724489f left them), holds jobs queued through
 * the engine (their `Generate` calls stored in its tables), done, long done and running, and then
 * a worker starts on it: its migration to the current version keeps every row readable, the
 * queued jobs run, the done ones keep their results, the running one is left as it was, and a
 * job done past the retention has its progress cleared (version 4 counts a job settled when it
 * finished).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeClusterSocket from "@effect/platform-node/NodeClusterSocket"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { PgClient, PgMigrator } from "@effect/sql-pg"
import { Effect, Layer, ManagedRuntime, Option, Redacted, Schema } from "effect"
import { ClusterWorkflowEngine } from "effect/cluster"
import { Migrator, SqlClient } from "effect/sql"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  jobBranches,
  makeRepository,
  moduleJob,
  startWorker,
  type Worker
} from "../../../examples/cluster/ClusterFixture.ts"
import { type LocalPostgres, postgresBinaries, startPostgres } from "../../../examples/cluster/LocalPostgres.ts"
import * as ClusterJobs from "../../../plugins/cluster/ClusterJobs.ts"
import { type ClusterClient, clientLayer, engineTimings } from "../../../plugins/cluster/ClusterLayers.ts"
import { JobResult } from "../../../plugins/cluster/Job.ts"
import { JobStore } from "../../../plugins/cluster/JobStore.ts"
import { recordedEntries } from "../../../plugins/cluster/ModelAnswers.ts"

const installed = postgresBinaries() !== undefined
const encodeResult = Schema.encodeSync(Schema.fromJsonString(JobResult))

/** Version 2 of Tamma's tables, statement for statement. */
const version2 = {
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
  "2_tamma_model_answers": Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE tamma_model_answers (
      request_id TEXT NOT NULL,
      key TEXT NOT NULL,
      seq INTEGER NOT NULL,
      entry TEXT NOT NULL,
      recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (request_id, key, seq)
    )`
  })
}

/** A submitter of version 2: the engine's client over a database migrated to version 2 only. */
const version2Client = (url: string) => {
  const database = Layer.effectDiscard(
    PgMigrator.run({ loader: Migrator.fromRecord(version2), table: "tamma_migrations" })
  ).pipe(Layer.provide(NodeServices.layer), Layer.provideMerge(PgClient.layer({ url: Redacted.make(url) })))
  return Layer.mergeAll(ClusterWorkflowEngine.layer, JobStore.layer).pipe(
    Layer.provideMerge(NodeClusterSocket.layer({ storage: "sql", clientOnly: true, shardingConfig: engineTimings })),
    Layer.provideMerge(database)
  )
}

const doneResult = (requestId: string, repository: string) =>
  new JobResult({
    requestId,
    repository,
    status: "success",
    branch: `tamma/${requestId}`,
    commit: "0123456789abcdef0123456789abcdef01234567",
    files: ["src/done.ts"],
    errors: [],
    pipelineMs: 1234
  })

/** What version 2's worker left of a finished job, `minutesAgo` after it finished. */
const insertDone = (requestId: string, repository: string, minutesAgo: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const ago = `${minutesAgo} minutes`
    yield* sql`INSERT INTO tamma_jobs (request_id, repository, base_ref, execution_id, state, branch, commit, worker,
      result, submitted_at, started_at, finished_at)
      VALUES (${requestId}, ${repository}, 'main', ${`exec-${requestId}`}, 'success', ${`tamma/${requestId}`},
      '0123456789abcdef0123456789abcdef01234567', '10.0.0.9:34431', ${encodeResult(doneResult(requestId, repository))},
      now() - ${ago}::interval - interval '2 minutes', now() - ${ago}::interval - interval '1 minute',
      now() - ${ago}::interval)`
    yield* sql`INSERT INTO tamma_job_events (request_id, event) VALUES (${requestId}, '{"_tag":"first"}'),
      (${requestId}, '{"_tag":"second"}')`
    yield* sql`INSERT INTO tamma_job_activities (request_id, repository, activity, worker, started_at, finished_at)
      VALUES (${requestId}, ${repository}, 'prepare', '10.0.0.9:34431', now() - ${ago}::interval - interval '1 minute',
        now() - ${ago}::interval - interval '1 minute'),
      (${requestId}, ${repository}, 'generate', '10.0.0.9:34431', now() - ${ago}::interval - interval '1 minute',
        now() - ${ago}::interval)`
    yield* sql`INSERT INTO tamma_model_answers (request_id, key, seq, entry)
      VALUES (${requestId}, 'k1', 0, '{"answer":"recorded"}')`
  })

describe.skipIf(!installed)("a database of version 2, upgraded by a worker's start", () => {
  let postgres: LocalPostgres
  let client: ManagedRuntime.ManagedRuntime<ClusterClient, unknown> | undefined
  let worker: Worker | undefined
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-cluster-migration-"))
  beforeAll(async () => {
    postgres = await startPostgres()
  }, 60_000)
  afterAll(async () => {
    if (worker !== undefined) {
      worker.process.kill("SIGKILL")
      await worker.exited
    }
    await client?.dispose()
    await postgres?.stop()
    fs.rmSync(scratch, { recursive: true, force: true })
  })

  it("keeps every row readable, runs the queued jobs and leaves the others as they were", async () => {
    const repos = ["a", "b"].map((name) => {
      const dir = path.join(scratch, name)
      makeRepository(dir)
      return dir
    })
    const queued = [moduleJob("queued-1", repos[0] ?? "", "first"), moduleJob("queued-2", repos[1] ?? "", "second")]

    // The database as version 2 left it, with no worker running.
    const old = ManagedRuntime.make(version2Client(postgres.url))
    const before = await old.runPromise(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        for (const job of queued) yield* ClusterJobs.submit(job)
        yield* insertDone("done-1", "file:///repo/done", 1)
        yield* insertDone("old-1", "file:///repo/old", 3 * 24 * 60)
        yield* sql`INSERT INTO tamma_jobs (request_id, repository, base_ref, execution_id, state, worker, started_at)
          VALUES ('running-1', 'file:///repo/running', 'main', 'exec-running-1', 'running', '10.0.0.9:34431', now())`
        const columns = yield* sql<{ readonly column_name: string }>`SELECT column_name FROM information_schema.columns
          WHERE table_name = 'tamma_jobs'`
        const messages = yield* sql<{ readonly count: number }>`SELECT count(*)::float8 AS count FROM cluster_messages
          WHERE tag = 'Generate'`
        const store = yield* JobStore
        return {
          columns: columns.map((c) => c.column_name),
          generateMessages: messages[0]?.count,
          rows: yield* store.list,
          activities: yield* store.activities
        }
      })
    )
    await old.dispose()
    expect(before.columns).not.toContain("settled_at")
    expect(before.generateMessages).toBe(2)
    expect(before.rows.map((r) => [r.requestId, r.state]).sort()).toEqual([
      ["done-1", "success"],
      ["old-1", "success"],
      ["queued-1", "queued"],
      ["queued-2", "queued"],
      ["running-1", "running"]
    ])

    // A worker of this version starts on it: its start migrates.
    worker = await startWorker(postgres.url, { concurrency: 2, env: { TMPDIR: scratch } })
    const current = ManagedRuntime.make(clientLayer(postgres.url))
    client = current
    const run = <A>(effect: Effect.Effect<A, unknown, ClusterClient>) => current.runPromise(effect)

    const results = await Promise.all(
      queued.map((job) => run(ClusterJobs.awaitResult(job.requestId).pipe(Effect.timeout("120 seconds"))))
    )
    expect(results.map((r) => r.status)).toEqual(["success", "success"])
    for (const [i, result] of results.entries()) {
      const branches = jobBranches(repos[i] ?? "")
      expect(result.branch).toBeDefined()
      expect(branches.get(result.branch ?? "")).toEqual({ sha: result.commit, commits: 1 })
    }

    // The job done past the retention: its progress and recorded answers are cleared, its row stays.
    const cleared = async () =>
      (
        await run(
          Effect.gen(function* () {
            return yield* (yield* JobStore).eventsAfter("old-1", 0)
          })
        )
      ).length === 0
    const deadline = Date.now() + 90_000
    while (!(await cleared())) {
      if (Date.now() > deadline) throw new Error("the long-done job's events were never cleared")
      await new Promise((resolve) => setTimeout(resolve, 100))
    }

    const after = await run(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const store = yield* JobStore
        const versions = yield* sql<{ readonly migration_id: number }>`SELECT migration_id FROM tamma_migrations
          ORDER BY migration_id`
        const settled = yield* sql<{ readonly request_id: string; readonly same: boolean | null }>`SELECT request_id,
          settled_at = finished_at AS same FROM tamma_jobs WHERE request_id IN ('done-1', 'old-1', 'running-1')
          ORDER BY request_id`
        return {
          versions: versions.map((v) => Number(v.migration_id)),
          settled: settled.map((s) => [s.request_id, s.same]),
          done: yield* store.get("done-1"),
          doneResult: yield* store.result("done-1"),
          doneEvents: yield* store.eventsAfter("done-1", 0),
          doneAnswers: yield* recordedEntries("done-1"),
          old: yield* store.get("old-1"),
          oldResult: yield* store.result("old-1"),
          oldAnswers: yield* recordedEntries("old-1"),
          running: yield* store.get("running-1"),
          activities: yield* store.activities
        }
      })
    )
    expect(after.versions).toEqual([1, 2, 3, 4])
    // Version 4's rule: a job finished under version 2 is settled since it finished; one running is not.
    expect(after.settled).toEqual([
      ["done-1", true],
      ["old-1", true],
      ["running-1", null]
    ])
    const beforeOf = (id: string) => before.rows.find((r) => r.requestId === id)
    expect(Option.getOrThrow(after.done)).toEqual(beforeOf("done-1"))
    expect(Option.getOrThrow(after.doneResult)).toEqual(doneResult("done-1", "file:///repo/done"))
    expect(after.doneEvents.map((e) => e.event)).toEqual(['{"_tag":"first"}', '{"_tag":"second"}'])
    expect(after.doneAnswers).toHaveLength(1)
    expect(Option.getOrThrow(after.old)).toEqual(beforeOf("old-1"))
    expect(Option.getOrThrow(after.oldResult)).toEqual(doneResult("old-1", "file:///repo/old"))
    expect(after.oldAnswers).toEqual([])
    // The running job (its worker gone, no engine message of it left) is left exactly as it was.
    expect(Option.getOrThrow(after.running)).toEqual(beforeOf("running-1"))
    // Version 2's activity runs are all still there, unchanged, before the new ones.
    expect(after.activities.slice(0, before.activities.length)).toEqual(before.activities)
  }, 240_000)
})
