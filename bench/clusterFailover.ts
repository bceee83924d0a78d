/**
 * Where a killed worker's job spends its time before it runs again
 * (`npx node bench/clusterFailover.ts [TRIALS]`): each trial starts two fresh workers, submits 8
 * template-only jobs over 4 repositories, kills (`kill -9`) the worker running one job's `generate`
 * activity, and times from the kill, by what Postgres shows: the dead runner marked unhealthy, the
 * survivor reading the job's engine messages again (the repository entity's `Generate`, the
 * workflow's `run`, the `generate` activity), the replies it saves, and the activity starting on
 * the survivor. Prints one line per trial, then the medians.
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
const columns = ["unhealthy", "entity read", "run read", "generate read", "generate starts", "job done"]
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
         FROM cluster_messages WHERE entity_id IN ($1, $2) AND kind = 0`,
        entityIdOf(job),
        executionId
      )
      for (const message of messages) {
        const readAt = message.read_ago === null ? undefined : Date.now() - Number(message.read_ago)
        if (readAt === undefined || readAt < killedAt) continue
        const name =
          message.tag === "Generate"
            ? "entity read"
            : message.tag === "run"
              ? "run read"
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
    // The activity messages: which one is `generate` shows in its payload.
    const activity = await query<{ readonly id: string; readonly payload: string; readonly read_ago: number | null }>(
      `SELECT id::text, payload, EXTRACT(EPOCH FROM (clock_timestamp()::timestamp - last_read)) * 1000 AS read_ago
       FROM cluster_messages WHERE entity_id = $1 AND tag = 'activity'`,
      executionId
    )
    const generate = activity.find((m) => m.payload.includes('"generate"'))
    const replies = await query<{ readonly id: string; readonly request_id: string; readonly tag: string }>(
      `SELECT r.id::text, r.request_id::text, m.tag || CASE WHEN m.tag = 'activity' THEN ':' || (m.payload::json->>'name') ELSE '' END AS tag
       FROM cluster_replies r JOIN cluster_messages m ON m.request_id = r.request_id WHERE m.entity_id IN ($1, $2)`,
      entityIdOf(job),
      executionId
    )
    const replyTimes = replies
      .map((r) => ({ ...r, at: Snowflake.timestamp(Snowflake.Snowflake(r.id)) - killedAt }))
      .filter((r) => r.at > 0)
      .sort((a, b) => a.at - b.at)
    if (generate !== undefined)
      timeline["generate replies"] = Math.min(
        ...replyTimes.filter((r) => r.request_id === generate.id).map((r) => r.at),
        Number.POSITIVE_INFINITY
      )
    // What the survivor was running when it read the job again: a job waits at a full gate.
    const readAt = killedAt + (timeline["run read"] ?? 0)
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
  for (const name of columns)
    console.log(
      `${String(Math.round(median(rows.map((r) => r[name] ?? Number.NaN)))).padStart(6)}  ${name} (median of ${rows.length})`
    )
} finally {
  await stopAll()
  await client.dispose()
  await postgres.stop()
  fs.rmSync(scratch, { recursive: true, force: true })
}
