/**
 * The cluster commands: a warm worker, submitting a job, listing jobs and following one.
 */
import { createHash } from "node:crypto"
import * as path from "node:path"
import { Console, Context, Duration, Effect, Layer, Option, Schema, Stream } from "effect"
import { ProgressEvent } from "../../core/domain/Progress.ts"
import * as ClusterJobs from "../../plugins/cluster/ClusterJobs.ts"
import { clientLayer, databaseLayer, workerLayer } from "../../plugins/cluster/ClusterLayers.ts"
import { GenerationJob, isHttpUrl, JobOptions, JobRepository, JobResult, RequestId } from "../../plugins/cluster/Job.ts"
import { JobRow, JobStore } from "../../plugins/cluster/JobStore.ts"
import { WorkerGate } from "../../plugins/cluster/WorkerGate.ts"
import { CommandFailed, SettledExit, UnderWay, UsageError } from "../CliErrors.ts"
import { warmPipelineLayer } from "../ClusterPipeline.ts"
import type { JobFlags, JobsFlags, SubmitFlags, WorkerFlags } from "../commands/Cluster.ts"
import { readRequest } from "../Input.ts"
import { printJson } from "../JsonOutput.ts"
import { progressRenderer } from "../Render.ts"
import { jsonText, visible } from "../TerminalText.ts"

const encodeResult = Schema.encodeSync(JobResult)
const encodeRows = Schema.encodeSync(Schema.Array(JobRow))
const decodeEvent = Schema.decodeUnknownOption(Schema.fromJsonString(ProgressEvent))

/** The database URL of the flag, else of `TAMMA_DATABASE_URL`. */
const databaseOf = (flag: Option.Option<string>) =>
  Effect.gen(function* () {
    const url = Option.getOrElse(flag, () => process.env.TAMMA_DATABASE_URL ?? "")
    if (!/^postgres(ql)?:\/\//.test(url)) {
      return yield* new UsageError({
        detail: "name the database with --database postgres://USER@HOST:PORT/DATABASE (or TAMMA_DATABASE_URL)"
      })
    }
    return url
  })

/** `tamma-codegen worker`: runs until SIGTERM or SIGINT, then drains. */
export const runWorker = Effect.fn("cli.worker")(function* (flags: WorkerFlags) {
  const database = yield* databaseOf(flags.database)
  if (flags.concurrency < 1) return yield* new UsageError({ detail: "--concurrency must be at least 1" })
  if (flags.port < 1 || flags.port > 65535) return yield* new UsageError({ detail: "--port must be 1-65535" })
  const layer = workerLayer({
    database,
    host: flags.host,
    port: flags.port,
    concurrency: flags.concurrency,
    retention: Duration.minutes(Math.max(0, flags.retentionMinutes)),
    pipeline: warmPipelineLayer
  })
  yield* Effect.scoped(
    Effect.gen(function* () {
      const context = yield* Layer.build(layer)
      yield* Console.error(`worker ${flags.host}:${flags.port} ready (concurrency ${flags.concurrency})`)
      // SIGTERM interrupts this wait: the drain runs while the runner still serves, then the scope
      // closes and the runner hands back what it had not started.
      yield* Effect.never.pipe(
        Effect.onInterrupt(() =>
          Effect.andThen(Console.error("draining: finishing the running jobs"), Context.get(context, WorkerGate).drain)
        )
      )
    })
  )
})

/** The default request id: the same request on the same repository and base is the same job. */
const derivedRequestId = (repository: string, base: string, requestText: string) =>
  `job-${createHash("sha256").update(`${repository}\n${base}\n${requestText}`).digest("hex").slice(0, 16)}`

const decodeRequestId = Schema.decodeUnknownEffect(RequestId)

const describeResult = (result: JobResult) =>
  [
    `${result.requestId}: ${result.status}`,
    ...(result.branch === undefined ? [] : [`  branch ${result.branch} at ${result.commit ?? "?"}`]),
    ...result.files.map((file) => `  ${file}`),
    ...result.errors.map((error) => `  error: ${error}`)
  ]
    .map(visible)
    .join("\n")

/** `tamma-codegen submit`. */
export const submitJob = Effect.fn("cli.submit")(function* (flags: SubmitFlags) {
  const database = yield* databaseOf(flags.database)
  const request = yield* readRequest(flags.request)
  if (!isHttpUrl(flags.repository) && /^[a-z][a-z0-9+.-]*:\/\/|^[^/]*@[^/]*:/i.test(flags.repository)) {
    return yield* new UsageError({
      detail: `--repository ${visible(flags.repository)}: give an http(s) URL, or a path every worker reaches`
    })
  }
  // A path is resolved here: a job never names a path relative to the submitting shell.
  const url = isHttpUrl(flags.repository) ? flags.repository : path.resolve(flags.repository)
  const requestId = yield* Option.match(flags.requestId, {
    onNone: () => Effect.succeed(derivedRequestId(url, flags.base, JSON.stringify(request))),
    onSome: (id) =>
      decodeRequestId(id).pipe(Effect.mapError((error) => new UsageError({ detail: `--request-id: ${error.message}` })))
  })
  const job = new GenerationJob({
    requestId,
    repository: new JobRepository({ url, baseRef: flags.base }),
    request,
    options: new JobOptions({
      provider: Option.getOrUndefined(flags.provider),
      model: Option.getOrUndefined(flags.model),
      baseUrl: Option.getOrUndefined(flags.baseUrl),
      runTests: flags.runTests
    })
  })
  const outcome = yield* Effect.gen(function* () {
    yield* ClusterJobs.submit(job)
    if (!flags.wait) return Option.none<JobResult>()
    yield* UnderWay.note({ _tag: "QueuedJob", requestId })
    return Option.some(yield* ClusterJobs.awaitResult(requestId))
  }).pipe(Effect.provide(clientLayer(database)))
  if (Option.isNone(outcome)) {
    if (flags.json) yield* printJson(jsonText({ requestId, status: "queued" }))
    else yield* Console.log(requestId)
    return
  }
  const result = outcome.value
  if (flags.json) yield* printJson(jsonText(encodeResult(result)))
  else yield* Console.log(describeResult(result))
  yield* SettledExit.settle(result.status === "success" ? 0 : 1)
  if (result.status !== "success") return yield* new CommandFailed({ reason: `job ${result.status}` })
})

/** Tamma's tables alone: what listing and following need (no engine client). */
const storeLayer = (database: string) => JobStore.layer.pipe(Layer.provide(databaseLayer(database)))

const when = (date: Date | null) => (date === null ? "-" : date.toISOString().replace("T", " ").slice(0, 19))

/** `tamma-codegen jobs`. */
export const listJobs = Effect.fn("cli.jobs")(function* (flags: JobsFlags) {
  const database = yield* databaseOf(flags.database)
  const rows = yield* ClusterJobs.list.pipe(Effect.provide(storeLayer(database)))
  if (flags.json) return yield* printJson(jsonText({ jobs: encodeRows(rows) }))
  if (rows.length === 0) return yield* Console.log("no jobs")
  for (const row of rows) {
    const branch =
      row.branch === null ? "" : `  ${row.branch}${row.commit === null ? "" : ` ${row.commit.slice(0, 12)}`}`
    yield* Console.log(
      visible(`${row.requestId}  ${row.state.padEnd(9)}  ${when(row.submittedAt)}  ${row.repository}${branch}`)
    )
  }
})

/** `tamma-codegen job ID [--follow]`: the job's progress as `generate` shows it, then its result. */
export const showJob = Effect.fn("cli.job")(function* (flags: JobFlags) {
  const database = yield* databaseOf(flags.database)
  yield* Effect.gen(function* () {
    const store = yield* JobStore
    const row = yield* store.get(flags.requestId)
    if (Option.isNone(row)) return yield* new UsageError({ detail: `no job ${visible(flags.requestId)} (see jobs)` })
    const render = progressRenderer()
    if (flags.follow) {
      yield* ClusterJobs.progress(flags.requestId).pipe(Stream.runForEach(render))
    } else {
      for (const event of yield* store.eventsAfter(flags.requestId, 0)) {
        const decoded = decodeEvent(event.event)
        if (Option.isSome(decoded)) yield* render(decoded.value)
      }
    }
    const result = yield* store.result(flags.requestId)
    const latest = Option.getOrElse(yield* store.get(flags.requestId), () => row.value)
    if (flags.json) {
      return yield* printJson(
        jsonText({
          job: Schema.encodeSync(JobRow)(latest),
          result: Option.getOrUndefined(Option.map(result, encodeResult))
        })
      )
    }
    yield* Console.log(
      Option.match(result, { onNone: () => visible(`${latest.requestId}: ${latest.state}`), onSome: describeResult })
    )
  }).pipe(Effect.provide(storeLayer(database)))
})
