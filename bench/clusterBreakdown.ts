/**
 * Where a cluster job's time goes (`node bench/clusterBreakdown.ts`): one warm worker, template-only
 * jobs one at a time, each split by the timestamps Postgres keeps (the job's row and each
 * recorded step's start and end) into submit, delivery to the worker and the workflow's start,
 * prepare (base commit and placement), the `Run` call reaching the placed worker, checkout and
 * push (generate less the pipeline), and the submitter noticing the result the run recorded (the
 * workflow's finish step comes after it, off the submitter's path). Then the time a killed
 * worker's job takes to resume on the other. Prints medians in milliseconds.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, ManagedRuntime } from "effect"
import { makeRepository, moduleJob, startWorker, type Worker } from "../examples/cluster/ClusterFixture.ts"
import { startPostgres } from "../examples/cluster/LocalPostgres.ts"
import * as ClusterJobs from "../plugins/cluster/ClusterJobs.ts"
import { type ClusterClient, clientLayer } from "../plugins/cluster/ClusterLayers.ts"
import { JobStore } from "../plugins/cluster/JobStore.ts"

const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-cluster-breakdown-"))
const postgres = await startPostgres()
const client = ManagedRuntime.make(clientLayer(postgres.url))
const run = <A>(effect: Effect.Effect<A, unknown, ClusterClient>) => client.runPromise(effect)
const store = <A>(use: (store: JobStore["Service"]) => Effect.Effect<A>) =>
  run(
    Effect.gen(function* () {
      return yield* use(yield* JobStore)
    })
  )
const workers: Array<Worker> = []
try {
  await run(Effect.void)
  workers.push(await startWorker(postgres.url, { concurrency: 2, env: { TMPDIR: scratch } }))
  const repo = path.join(scratch, "overhead")
  makeRepository(repo)
  await run(ClusterJobs.submitAndAwait(moduleJob("warm-up", repo, "warmUp")))
  const parts: Record<string, Array<number>> = {}
  const add = (name: string, ms: number) => {
    parts[name] = [...(parts[name] ?? []), ms]
  }
  for (let i = 0; i < 10; i++) {
    const job = moduleJob(`overhead-${i}`, repo, `part${i}`)
    const start = Date.now()
    await run(ClusterJobs.submit(job))
    const submitted = Date.now()
    const result = await run(ClusterJobs.awaitResult(job.requestId))
    const seen = Date.now()
    const runs = (await store((s) => s.activities)).filter((r) => r.requestId === job.requestId)
    const at = (activity: string) => {
      const found = runs.find((r) => r.activity === activity)
      return { start: found?.startedAt.getTime() ?? Number.NaN, end: found?.finishedAt?.getTime() ?? Number.NaN }
    }
    const prepare = at("prepare")
    const generate = at("generate")
    add("total (submit to result seen)", seen - start)
    add("pipeline", result.pipelineMs)
    add("overhead (total - pipeline)", seen - start - result.pipelineMs)
    add("submit call", submitted - start)
    add("submit -> prepare starts (delivery, workflow start)", prepare.start - submitted)
    add("prepare (resolve base, place)", prepare.end - prepare.start)
    add("prepare ends -> generate starts (Run call, gate)", generate.start - prepare.end)
    add("generate - pipeline (checkout, push)", generate.end - generate.start - result.pipelineMs)
    add("generate ends -> result seen (record, notification)", seen - generate.end)
  }
  for (const [name, values] of Object.entries(parts))
    console.log(`${String(Math.round(median(values))).padStart(6)}  ${name}`)

  // Failover: kill -9 the worker running a job; time until it runs again on the other.
  // Two fresh workers, as the benchmark has them.
  for (const worker of workers.splice(0)) {
    worker.process.kill("SIGKILL")
    await worker.exited
  }
  workers.push(await startWorker(postgres.url, { concurrency: 2, env: { TMPDIR: scratch } }))
  workers.push(await startWorker(postgres.url, { concurrency: 2, env: { TMPDIR: scratch } }))
  const repos = Array.from({ length: 4 }, (_, i) => path.join(scratch, `failover-${i}`))
  for (const dir of repos) makeRepository(dir)
  const jobs = Array.from({ length: 8 }, (_, i) => moduleJob(`failover-${i}`, repos[i % 4] ?? "", `part${i}`))
  for (const job of jobs) await run(ClusterJobs.submit(job))
  let killed: { readonly requestId: string; readonly worker: Worker } | undefined
  while (killed === undefined) {
    const inFlight = (await store((s) => s.activities)).find(
      (r) => r.activity === "generate" && r.finishedAt === null && r.requestId.startsWith("failover-")
    )
    const worker = workers.find((w) => w.name === inFlight?.worker)
    if (inFlight !== undefined && worker !== undefined) killed = { requestId: inFlight.requestId, worker }
    else await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const killedAt = Date.now()
  killed.worker.process.kill("SIGKILL")
  // A job that never ends is a failure to show, with what the workers said.
  await Promise.all(
    jobs.map((job) => run(ClusterJobs.awaitResult(job.requestId).pipe(Effect.timeout("120 seconds"))))
  ).catch((error: unknown) => {
    for (const worker of workers) console.error(`--- worker ${worker.name}\n${worker.log()}`)
    throw error
  })
  const resumed = (await store((s) => s.activities)).find(
    (r) => r.requestId === killed?.requestId && r.activity === "generate" && r.worker !== killed.worker.name
  )
  console.log(
    `${String(resumed === undefined ? "n/a" : resumed.startedAt.getTime() - killedAt).padStart(6)}  failover: kill -9 -> job's generate starts on the other worker`
  )
} finally {
  for (const worker of workers) worker.process.kill("SIGKILL")
  await client.dispose()
  await postgres.stop()
  fs.rmSync(scratch, { recursive: true, force: true })
}
