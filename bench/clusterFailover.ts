/**
 * Where a killed worker's job spends its time before it runs again
 * (`npx node bench/clusterFailover.ts [TRIALS]`): each trial starts two fresh workers, submits 8
 * template-only jobs over 4 repositories, kills (`kill -9`) the worker running one job's `generate`
 * activity, and times from the kill, by what Postgres shows: the dead runner marked unhealthy, the
 * survivor reading the job's engine messages again (the repository entity's `Generate`, the
 * workflow's `run`, the per-job `JobRun` entity's `Run` call, which the killed worker held), the
 * replies it saves, and the job's `generate` run starting on the survivor. Prints one line per
 * trial, then the medians; a trial in which the handover or the resumed run was not seen fails it.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, ManagedRuntime } from "effect"
import { Snowflake } from "effect/cluster"
import { SqlClient } from "effect/sql"
import { makeRepository, moduleJob, startWorker, type Worker } from "../examples/cluster/ClusterFixture.ts"
import { startPostgres } from "../examples/cluster/LocalPostgres.ts"
import * as ClusterJobs from "../plugins/cluster/ClusterJobs.ts"
import { type ClusterClient, clientLayer } from "../plugins/cluster/ClusterLayers.ts"
import { entityIdOf, GenerateJob } from "../plugins/cluster/GenerateJob.ts"
import { JobStore } from "../plugins/cluster/JobStore.ts"

const trials = Number(process.argv[2] ?? 6)
const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-cluster-failover-"))
const postgres = await startPostgres()
const client = ManagedRuntime.make(clientLayer(postgres.url))
const run = <A>(effect: Effect.Effect<A, unknown, ClusterClient>) => client.runPromise(effect)
const query = <A extends object>(text: string, ...params: ReadonlyArray<string>) =>
  run(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return yield* sql.unsafe<A>(text, params)
    })
  )
const activities = () =>
  run(
    Effect.gen(function* () {
      return yield* (yield* JobStore).activities
    })
  )

interface MessageRow {
  readonly id: string
  readonly entity_type: string
  readonly tag: string | null
  readonly request_id: string
  readonly processed: boolean
  /** How long ago (ms, at query time) it was last read. */
  readonly read_ago: number | null
}

const workers: Array<Worker> = []
const stopAll = async () => {
  for (const worker of workers.splice(0)) {
    worker.process.kill("SIGKILL")
    await worker.exited
  }
}
const columns = ["unhealthy", "entity read", "run read", "Run read", "generate starts", "job done"]
/** What every trial must have measured: a median over trials that lack it would be no figure. */
const required = ["Run read", "generate starts", "job done"]
const rows: Array<Record<string, number>> = []
try {
  await run(Effect.void)
  for (let trial = 0; trial < trials; trial++) {
    await stopAll()
    workers.push(
      ...(await Promise.all([
        startWorker(postgres.url, { concurrency: 2, env: { TMPDIR: scratch } }),
        startWorker(postgres.url, { concurrency: 2, env: { TMPDIR: scratch } })
      ]))
    )
    const repos = Array.from({ length: 4 }, (_, i) => path.join(scratch, `t${trial}-${i}`))
    for (const dir of repos) makeRepository(dir)
    const jobs = Array.from({ length: 8 }, (_, i) => moduleJob(`t${trial}-${i}`, repos[i % 4] ?? "", `part${i}`))
    for (const job of jobs) await run(ClusterJobs.submit(job))
    let killed: { readonly requestId: string; readonly worker: Worker } | undefined
    while (killed === undefined) {
      const inFlight = (await activities()).find(
        (r) => r.activity === "generate" && r.finishedAt === null && r.requestId.startsWith(`t${trial}-`)
      )
      const worker = workers.find((w) => w.name === inFlight?.worker)
      if (inFlight !== undefined && worker !== undefined) killed = { requestId: inFlight.requestId, worker }
      else await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const killedAt = Date.now()
    killed.worker.process.kill("SIGKILL")
    const job = jobs.find((j) => j.requestId === killed?.requestId)
    if (job === undefined) throw new Error("no killed job")
    const executionId = await run(GenerateJob.executionId(job))
    // The job's `JobRun` entity, placed on the killed worker (its `generate` ran there).
    const [placement] = await query<{ readonly entity_id: string }>(
      "SELECT entity_id FROM tamma_job_placements WHERE request_id = $1",
      job.requestId
    )
    if (placement === undefined) throw new Error(`${job.requestId} has no placement`)
    const timeline: Record<string, number> = {}
    const seen = (name: string) => {
      timeline[name] ??= Date.now() - killedAt
    }
    // Watch the runner's health and the job's messages until the job is done.
    const done = run(ClusterJobs.awaitResult(job.requestId)).then(() => seen("job done"))
    let finished = false
    void done.then(() => {
      finished = true
    })
    while (!finished) {
      const [runner] = await query<{ readonly healthy: boolean }>(
        "SELECT healthy FROM cluster_runners WHERE address = $1",
        killed.worker.name
      )
      if (runner?.healthy === false) seen("unhealthy")
      const messages = await query<MessageRow>(
        `SELECT id::text, entity_type, tag, request_id::text, processed,
           EXTRACT(EPOCH FROM (clock_timestamp()::timestamp - last_read)) * 1000 AS read_ago
         FROM cluster_messages WHERE entity_id IN ($1, $2, $3) AND kind = 0`,
        entityIdOf(job),
        executionId,
        placement.entity_id
      )
      for (const message of messages) {
        const readAt = message.read_ago === null ? undefined : Date.now() - Number(message.read_ago)
        if (readAt === undefined || readAt < killedAt) continue
        const name =
          message.tag === "Generate"
            ? "entity read"
            : message.tag === "run" || message.tag === "Run"
              ? `${message.tag} read`
              : message.tag === "activity"
                ? "activity read"
                : `${message.tag} read`
        timeline[name] ??= readAt - killedAt
      }
      const resumed = (await activities()).find(
        (r) => r.requestId === job.requestId && r.activity === "generate" && r.worker !== killed?.worker.name
      )
      if (resumed !== undefined) timeline["generate starts"] ??= resumed.startedAt.getTime() - killedAt
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    await Promise.all(jobs.map((j) => run(ClusterJobs.awaitResult(j.requestId))))
    const replies = await query<{ readonly id: string; readonly request_id: string; readonly tag: string }>(
      `SELECT r.id::text, r.request_id::text, m.tag || CASE WHEN m.tag = 'activity' THEN ':' || (m.payload::json->>'name') ELSE '' END AS tag
       FROM cluster_replies r JOIN cluster_messages m ON m.request_id = r.request_id WHERE m.entity_id IN ($1, $2, $3)`,
      entityIdOf(job),
      executionId,
      placement.entity_id
    )
    const replyTimes = replies
      .map((r) => ({ ...r, at: Snowflake.timestamp(Snowflake.Snowflake(r.id)) - killedAt }))
      .filter((r) => r.at > 0)
      .sort((a, b) => a.at - b.at)
    // What the survivor was running when it read the job again: a job waits at a full gate.
    const readAt = killedAt + (timeline["Run read"] ?? 0)
    const startAt = killedAt + (timeline["generate starts"] ?? 0)
    const survivorRuns = (await activities()).filter(
      (r) =>
        workers.some((w) => w.name === r.worker && w !== killed?.worker) &&
        r.activity === "generate" &&
        r.requestId !== job.requestId
    )
    const busyAt = (at: number) =>
      survivorRuns.filter((r) => r.startedAt.getTime() <= at && (r.finishedAt?.getTime() ?? at + 1) > at).length
    const startedBetween = survivorRuns.filter(
      (r) => r.startedAt.getTime() > readAt && r.startedAt.getTime() < startAt
    ).length
    const missing = required.filter((name) => timeline[name] === undefined || (timeline[name] ?? -1) < 0)
    if (missing.length > 0)
      throw new Error(`trial ${trial} (${killed.requestId}): not measured after the kill: ${missing.join(", ")}`)
    rows.push(timeline)
    console.log(
      `  survivor's generate runs in flight when it read the job: ${busyAt(readAt)}; others it started before the job's: ${startedBetween}`
    )
    console.log(
      `trial ${trial} (${killed.requestId}): ${Object.entries(timeline)
        .sort((a, b) => a[1] - b[1])
        .map(([name, ms]) => `${name} ${ms}`)
        .join(", ")}; replies after kill: ${replyTimes.map((r) => `${r.tag} ${r.at}`).join(", ")}`
    )
  }
  // A step seen in some trials only (the workflow's own messages move only when it lived on the
  // killed worker) has the median of those trials, and says how many.
  for (const name of columns) {
    const seenIn = rows.flatMap((r) => (r[name] === undefined ? [] : [r[name]]))
    console.log(
      `${seenIn.length === 0 ? "   n/a" : String(Math.round(median(seenIn))).padStart(6)}  ${name} (median of ${seenIn.length} of ${rows.length})`
    )
  }
} finally {
  await stopAll()
  await client.dispose()
  await postgres.stop()
  fs.rmSync(scratch, { recursive: true, force: true })
}
