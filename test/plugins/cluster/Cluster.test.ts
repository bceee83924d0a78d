/**
 * The cluster against a real Postgres and real worker processes on loopback: jobs over several
 * repositories on two workers with one killed by SIGKILL mid-run, a duplicate submission, a
 * cancelled job, a drained worker, and housekeeping. Template-only jobs: the engine is under test.
 * Ordering is read from the database's records, never from sleeps.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, ManagedRuntime, Option, Schema } from "effect"
import { EntityId, Sharding } from "effect/cluster"
import { SqlClient } from "effect/sql"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  fsck,
  jobBranches,
  makeRepository,
  moduleJob,
  startWorker,
  type Worker
} from "../../../examples/cluster/ClusterFixture.ts"
import { type LocalPostgres, postgresBinaries, startPostgres } from "../../../examples/cluster/LocalPostgres.ts"
import * as ClusterJobs from "../../../plugins/cluster/ClusterJobs.ts"
import { type ClusterClient, clientLayer } from "../../../plugins/cluster/ClusterLayers.ts"
import { GenerateJob, jobRunShardGroup } from "../../../plugins/cluster/GenerateJob.ts"
import type { GenerationJob, JobResult } from "../../../plugins/cluster/Job.ts"
import { type ActivityRun, countEngineMessages, JobStore } from "../../../plugins/cluster/JobStore.ts"
import { placeJob } from "../../../plugins/cluster/Placement.ts"

const decodeShards = Schema.decodeUnknownSync(Schema.fromJsonString(Schema.Array(Schema.Number)))

const installed = postgresBinaries() !== undefined
if (!installed) {
  // Visible in the run's output: CI installs PostgreSQL, so there these tests always run.
  console.warn("cluster tests skipped: PostgreSQL is not installed (apt-get install -y postgresql)")
}

/** Resolves once `check` holds, looking every 100 ms (the database is the clock here). */
const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 90_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe.skipIf(!installed)("cluster on Postgres", () => {
  let postgres: LocalPostgres
  let client: ManagedRuntime.ManagedRuntime<ClusterClient, unknown>
  let scratch: string
  const workers: Array<Worker> = []
  const run = <A>(effect: Effect.Effect<A, unknown, ClusterClient>) => client.runPromise(effect)
  const withStore = <A>(use: (store: JobStore["Service"]) => Effect.Effect<A>) =>
    run(
      Effect.gen(function* () {
        return yield* use(yield* JobStore)
      })
    )
  const activities = () => withStore((store) => store.activities)
  const submitAll = async (jobs: ReadonlyArray<GenerationJob>) => {
    // One at a time: the order of submission is the order each repository runs its jobs in.
    for (const job of jobs) await run(ClusterJobs.submit(job))
  }
  const awaitAll = (jobs: ReadonlyArray<GenerationJob>) =>
    Promise.all(jobs.map((job) => run(ClusterJobs.awaitResult(job.requestId))))
  const newWorker = async (concurrency = 2) => {
    // Its scratch checkouts go under the test's folder: a killed worker's are removed with it.
    const worker = await startWorker(postgres.url, { concurrency, env: { TMPDIR: scratch } })
    workers.push(worker)
    return worker
  }
  const repository = (name: string) => {
    const dir = path.join(scratch, name)
    makeRepository(dir)
    return dir
  }

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-cluster-test-"))
    postgres = await startPostgres()
    client = ManagedRuntime.make(clientLayer(postgres.url))
    await run(Effect.void)
  }, 120_000)

  afterAll(async () => {
    for (const worker of workers) worker.process.kill("SIGKILL")
    await client?.dispose()
    await postgres?.stop()
    fs.rmSync(scratch, { recursive: true, force: true })
  }, 60_000)

  /** The shards each worker published for placement, once both have some and together hold them all. */
  const publishedShards = async (names: ReadonlyArray<string>) => {
    let found = new Map<string, ReadonlySet<number>>()
    await until("the workers' shards published", async () => {
      const rows = await run(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          return yield* sql<{
            readonly address: string
            readonly shards: string
          }>`SELECT address, shards FROM tamma_workers`
        })
      )
      found = new Map(
        rows
          .filter((row) => names.includes(row.address))
          .map((row) => [row.address, new Set(decodeShards(row.shards))] as const)
      )
      const sizes = [...found.values()].map((shards) => shards.size)
      return sizes.length === names.length && sizes.every((n) => n > 0) && sizes.reduce((a, b) => a + b, 0) === 300
    })
    return found
  }

  it("runs the pipelines of jobs whose workflows hash onto one worker on both workers", async () => {
    const [first, second] = [await newWorker(), await newWorker()]
    const shards = await publishedShards([first.name, second.name])
    const onFirst = shards.get(first.name) ?? new Set<number>()
    // Request ids whose workflow (the engine's hash of its execution id) lives on the first worker.
    const jobs: Array<GenerationJob> = []
    for (let n = 0; jobs.length < 4; n++) {
      const job = moduleJob(`spread-${n}`, repository(`repo-spread-${n}`), `spread${n}`)
      const shard = await run(
        Effect.gen(function* () {
          const sharding = yield* Sharding.Sharding
          return sharding.getShardId(EntityId.make(yield* GenerateJob.executionId(job)), "default").id
        })
      )
      if (onFirst.has(shard)) jobs.push(job)
    }
    await submitAll(jobs)
    const results = await awaitAll(jobs)
    expect(results.map((r) => r.status)).toEqual(["success", "success", "success", "success"])
    const runs = (await activities()).filter((r) => r.requestId.startsWith("spread-"))
    // Every workflow ran on the first worker (its prepare), the pipelines on both.
    expect(new Set(runs.filter((r) => r.activity === "prepare").map((r) => r.worker))).toEqual(new Set([first.name]))
    const generates = runs.filter((r) => r.activity === "generate")
    expect(generates).toHaveLength(4)
    expect(new Set(generates.map((r) => r.worker))).toEqual(new Set([first.name, second.name]))
    // Each ran where its placement said.
    const placements = await run(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql<{
          readonly requestId: string
          readonly runner: string
        }>`SELECT request_id AS "requestId", runner FROM tamma_job_placements WHERE request_id LIKE 'spread-%'`
      })
    )
    for (const generate of generates)
      expect(placements.find((p) => p.requestId === generate.requestId)?.runner).toBe(generate.worker)
  }, 120_000)

  it("runs 20 jobs over 6 repositories on 2 workers, one killed mid-run: each once, one commit each, no overlap per repository", async () => {
    // The placement test's two workers, when they are there (each start costs seconds).
    const live = workers.filter((w) => w.process.exitCode === null && w.process.signalCode === null)
    const first = live[0] ?? (await newWorker())
    const second = live[1] ?? (await newWorker())
    const repositories = Array.from({ length: 6 }, (_, i) => repository(`repo-${i}`))
    const jobs = Array.from({ length: 20 }, (_, i) =>
      moduleJob(`load-${String(i).padStart(2, "0")}`, repositories[i % 6] ?? "", `part${i}`)
    )
    await submitAll(jobs)

    // Kill a worker while it runs a job's generate activity (after at least one job has finished).
    let victim: Worker | undefined
    let killedAt = 0
    await until("a generate activity in flight after a finished one", async () => {
      const runs = await activities()
      const finishedOne = runs.some(
        (r) => r.activity === "finish" && r.finishedAt !== null && r.requestId.startsWith("load-")
      )
      const inFlight = runs.find((r) => r.activity === "generate" && r.finishedAt === null)
      if (!finishedOne || inFlight === undefined) return false
      victim = [first, second].find((w) => w.name === inFlight.worker)
      return victim !== undefined
    })
    killedAt = Date.now()
    victim?.process.kill("SIGKILL")
    const survivor = victim === first ? second : first
    await victim?.exited

    const results = await awaitAll(jobs)
    const runs = await activities()

    // Every job ended once, successfully, with exactly one commit on its own branch.
    expect(results.filter((r) => r.status !== "success")).toEqual([])
    for (const [index, dir] of repositories.entries()) {
      const branches = jobBranches(dir)
      const mine = jobs.filter((_, i) => i % 6 === index)
      expect([...branches.keys()].sort()).toEqual(mine.map((job) => `tamma/${job.requestId}`).sort())
      for (const job of mine) {
        const result = results.find((r) => r.requestId === job.requestId)
        expect(branches.get(`tamma/${job.requestId}`)).toEqual({ sha: result?.commit, commits: 1 })
      }
      expect(() => fsck(dir)).not.toThrow()
    }

    // The killed worker's job was taken over by the survivor.
    const killedRuns = runs.filter((r) => r.worker === victim?.name && r.finishedAt === null)
    expect(killedRuns.length).toBeGreaterThan(0)
    for (const killed of killedRuns) {
      expect(
        runs.some((r) => r.requestId === killed.requestId && r.worker === survivor.name && r.finishedAt !== null)
      ).toBe(true)
    }

    // No two generate runs of one repository overlap (a run cut by the kill ends at the kill).
    const end = (r: ActivityRun) => r.finishedAt?.getTime() ?? killedAt
    const generates = runs.filter((r) => r.activity === "generate")
    for (const dir of repositories) {
      const spans = generates
        .filter((r) => r.repository === dir)
        .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      for (let i = 1; i < spans.length; i++) {
        const before = spans[i - 1]
        const after = spans[i]
        if (before !== undefined && after !== undefined) {
          expect(after.startedAt.getTime()).toBeGreaterThanOrEqual(end(before))
        }
      }
      // And they ran in submit order.
      const order = [...new Set(spans.map((r) => r.requestId))]
      expect(order).toEqual(jobs.filter((job) => job.repository.url === dir).map((job) => job.requestId))
    }

    // An activity whose result was saved (the workflow went on past it) never ran again.
    const sequence = ["prepare", "generate", "finish"]
    for (const job of jobs) {
      const mine = runs.filter((r) => r.requestId === job.requestId)
      for (const [i, activity] of sequence.entries()) {
        const next = mine.filter((r) => r.activity === sequence[i + 1])
        const firstNext = Math.min(...next.map((r) => r.startedAt.getTime()))
        const again = mine.filter((r) => r.activity === activity && r.startedAt.getTime() > firstNext)
        expect(again).toEqual([])
      }
    }
  }, 240_000)

  it("returns the first result to a duplicate submission and runs the job once", async () => {
    if (workers.every((w) => w.process.exitCode !== null || w.process.signalCode !== null)) await newWorker()
    const dir = repository("repo-duplicate")
    const job = moduleJob("duplicate-1", dir, "first")
    // The same request id with another request: the job is the first one.
    const again = moduleJob("duplicate-1", dir, "second")
    await run(ClusterJobs.submit(job))
    // Sent again while the first runs: the engine holds both calls under one key.
    await until("the job running", async () =>
      (await activities()).some((r) => r.requestId === job.requestId && r.activity === "generate")
    )
    await run(ClusterJobs.submit(again))
    const [first, second] = await awaitAll([job, again])
    expect(second).toEqual(first)
    expect(first?.files).toEqual(["src/first.ts"])
    // Submitted once more after it finished: the stored result, nothing run.
    const third: JobResult = await run(ClusterJobs.submitAndAwait(again))
    expect(third).toEqual(first)
    const runs = (await activities()).filter((r) => r.requestId === "duplicate-1" && r.activity === "generate")
    expect(runs).toHaveLength(1)
    expect([...jobBranches(dir).keys()]).toEqual(["tamma/duplicate-1"])
  }, 120_000)

  it("writes nothing for a cancelled job", async () => {
    if (workers.every((w) => w.process.exitCode !== null || w.process.signalCode !== null)) await newWorker()
    const dir = repository("repo-cancel")
    const ahead = moduleJob("cancel-ahead", dir, "ahead")
    const cancelled = moduleJob("cancel-me", dir, "never")
    await submitAll([ahead, cancelled])
    // Queued behind `ahead` on its repository: it cannot have pushed yet.
    expect(await run(ClusterJobs.cancel(cancelled.requestId))).toBe(true)
    const [aheadResult, cancelledResult] = await awaitAll([ahead, cancelled])
    expect(aheadResult?.status).toBe("success")
    expect(cancelledResult?.status).toBe("cancelled")
    expect(cancelledResult?.branch).toBeUndefined()
    expect([...jobBranches(dir).keys()]).toEqual(["tamma/cancel-ahead"])
    expect(fs.existsSync(path.join(dir, "src", "never.ts"))).toBe(false)
    // A finished job cannot be cancelled.
    expect(await run(ClusterJobs.cancel(ahead.requestId))).toBe(false)
  }, 120_000)

  it("drains on SIGTERM: the running job finishes on its worker, then the worker exits", async () => {
    const draining = await newWorker(1)
    const other = await newWorker(1)
    // The engine places each repository's jobs by hash, over every live worker (an earlier test's
    // too): more repositories are added until one of their jobs runs on the worker to drain.
    const jobs: Array<ReturnType<typeof moduleJob>> = []
    let running: ActivityRun | undefined
    const onDraining = async () => {
      running = (await activities()).find(
        (r) => r.activity === "generate" && r.finishedAt === null && r.worker === draining.name
      )
      return running !== undefined
    }
    for (let batch = 0; running === undefined; batch++) {
      const added = Array.from({ length: 4 }, (_, i) => {
        const n = batch * 4 + i
        return moduleJob(`drain-${n}`, repository(`repo-drain-${n}`), `drained${n}`)
      })
      jobs.push(...added)
      await submitAll(added)
      await until(
        "a generate activity in flight on the worker to drain",
        onDraining,
        batch < 4 ? 20_000 : 90_000
      ).catch((error: unknown) => {
        if (batch >= 4) throw error
      })
    }
    draining.process.kill("SIGTERM")
    const code = await draining.exited
    const runs = await activities()
    // The job it was running finished there, before it exited; none of its runs was cut.
    const finishedThere = runs.find((r) => r.id === running?.id)
    expect(finishedThere?.finishedAt).not.toBeNull()
    expect(runs.filter((r) => r.worker === draining.name && r.finishedAt === null)).toEqual([])
    expect(code).not.toBe("SIGKILL")
    const results = await awaitAll(jobs)
    expect(results.filter((r) => r.status !== "success")).toEqual([])
    expect(runs.filter((r) => r.requestId === running?.requestId && r.activity === "generate")).toHaveLength(1)
    expect(other.process.exitCode).toBeNull()
  }, 180_000)

  it("places no job on a worker whose row was not renewed lately (as a killed worker's stays)", async () => {
    if (workers.every((w) => w.process.exitCode !== null || w.process.signalCode !== null)) await newWorker()
    const liveRow = Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{
        readonly address: string
        readonly concurrency: number
      }>`SELECT w.address, w.concurrency
        FROM tamma_workers w JOIN cluster_runners r ON r.address = w.address AND r.healthy
        WHERE w.concurrency > 0 AND w.shards <> '[]' ORDER BY w.address LIMIT 1`
      return rows[0]
    })
    await until("a live worker's row", async () => (await run(liveRow)) !== undefined)
    // One transaction: the worker's own publishing cannot renew the row in between, and it is put back.
    const { stale, placed } = await run(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            const row = yield* liveRow
            if (row === undefined) return yield* Effect.die("no live worker")
            // As a SIGKILLed worker's row looks until the engine marks it unhealthy: old, all slots free.
            yield* sql`UPDATE tamma_workers SET updated_at = clock_timestamp() - interval '1 minute', concurrency = 1000
              WHERE address = ${row.address}`
            const placed = yield* placeJob("stale-probe", jobRunShardGroup)
            yield* sql`DELETE FROM tamma_job_placements WHERE request_id = 'stale-probe'`
            yield* sql`UPDATE tamma_workers SET updated_at = clock_timestamp(), concurrency = ${row.concurrency}
              WHERE address = ${row.address}`
            return { stale: row.address, placed }
          })
        )
      })
    )
    expect(placed.runner).not.toBe(stale)
  }, 120_000)

  it("completes a job whose placement fails: it runs where the engine's hash puts it", async () => {
    if (workers.every((w) => w.process.exitCode !== null || w.process.signalCode !== null)) await newWorker()
    const rename = (from: string, to: string) =>
      run(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql.unsafe(`ALTER TABLE ${from} RENAME TO ${to}`)
        })
      )
    // Placement's table gone: every placement fails with a database error.
    await rename("tamma_job_placements", "tamma_job_placements_away")
    try {
      const job = moduleJob("unplaced-1", repository("repo-unplaced"), "unplaced")
      await run(ClusterJobs.submit(job))
      await until(
        "the unplaced job's result",
        async () => Option.isSome(await withStore((store) => store.result(job.requestId))),
        60_000
      )
      const stored = await withStore((store) => store.result(job.requestId))
      expect(Option.map(stored, (r) => r.status)).toEqual(Option.some("success"))
    } finally {
      await rename("tamma_job_placements_away", "tamma_job_placements")
    }
  }, 120_000)

  it("clears finished jobs' engine messages after their retention, and still answers for them", async () => {
    const before = await run(countEngineMessages)
    expect(before).toBeGreaterThan(0)
    // What each clause must clear: the settled jobs' `Run` messages (to `requestId/k`) and placements.
    const owned = () =>
      run(
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const settled = yield* sql<{
            readonly requestId: string
          }>`SELECT request_id AS "requestId" FROM tamma_jobs WHERE settled_at IS NOT NULL`
          const ids = settled.map((row) => row.requestId)
          const runs = yield* sql<{
            readonly entityId: string
          }>`SELECT entity_id AS "entityId" FROM cluster_messages WHERE entity_type = 'JobRun'`
          const placements = yield* sql<{
            readonly requestId: string
          }>`SELECT request_id AS "requestId" FROM tamma_job_placements`
          return {
            ids,
            runs: runs.filter((row) => ids.some((id) => row.entityId.startsWith(`${id}/`))).length,
            placements: placements.filter((row) => ids.includes(row.requestId)).length
          }
        })
      )
    const owning = await owned()
    expect(owning.runs).toBeGreaterThan(0)
    expect(owning.placements).toBeGreaterThan(0)
    const cleared = await withStore((store) => store.housekeep(0))
    expect(cleared).toBeGreaterThan(0)
    const after = await run(countEngineMessages)
    expect(after).toBeLessThan(before)
    // Jobs settled before the clean-up have nothing left (one settled since may have its own).
    const settledBefore = new Set(owning.ids)
    const stillThere = await run(
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const runs = yield* sql<{
          readonly entityId: string
        }>`SELECT entity_id AS "entityId" FROM cluster_messages WHERE entity_type = 'JobRun'`
        const placements = yield* sql<{
          readonly requestId: string
        }>`SELECT request_id AS "requestId" FROM tamma_job_placements`
        return [
          ...runs.map((row) => row.entityId).filter((entity) => owning.ids.some((id) => entity.startsWith(`${id}/`))),
          ...placements.map((row) => row.requestId).filter((id) => settledBefore.has(id))
        ]
      })
    )
    expect(stillThere).toEqual([])
    const stored = await withStore((store) => store.result("duplicate-1"))
    expect(Option.map(stored, (r) => r.status)).toEqual(Option.some("success"))
  }, 60_000)
})
