/**
 * `worker`, `submit`, `jobs` and `job`: generation jobs on a pool of workers that share a
 * Postgres database. Only flags live here; the handler and the engine load when a command runs.
 */
import * as Argument from "effect/cli/Argument"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import { ProviderName } from "../../core/domain/ProviderName.ts"
import { baseUrlFlag, modelFlag } from "./RunFlags.ts"

const database = Flag.String("database").pipe(
  Flag.withDescription("Postgres URL, e.g. postgres://tamma@db-host:5432/tamma (default: $TAMMA_DATABASE_URL)"),
  Flag.optional
)
const json = Flag.Boolean("json").pipe(Flag.withDescription("Print one JSON document"), Flag.withDefault(false))

const handlers = () => import("../handlers/Cluster.ts")

export const workerFlags = {
  database,
  concurrency: Flag.Int("concurrency").pipe(
    Flag.withDescription("Jobs this worker runs at once (default 2)"),
    Flag.withDefault(2)
  ),
  host: Flag.String("host").pipe(
    Flag.withDescription("Address other workers reach this one at (default 127.0.0.1)"),
    Flag.withDefault("127.0.0.1")
  ),
  port: Flag.Int("port").pipe(
    Flag.withDescription("Port this worker listens on (default 34431)"),
    Flag.withDefault(34431)
  ),
  retentionMinutes: Flag.Int("retention-minutes").pipe(
    Flag.withDescription("Delete finished jobs' engine messages and progress after this many minutes (default 1440)"),
    Flag.withDefault(1440)
  )
}

export const submitFlags = {
  database,
  request: Flag.String("request").pipe(Flag.withDescription("Required: the request file (JSON), or - for stdin")),
  repository: Flag.String("repository").pipe(
    Flag.withDescription("Required: the repository, an http(s) URL or an absolute path every worker reaches")
  ),
  base: Flag.String("base").pipe(
    Flag.withDescription("Branch, tag or commit to start from (default main)"),
    Flag.withDefault("main")
  ),
  requestId: Flag.String("request-id").pipe(
    Flag.withDescription(
      "The job's id (default: derived from the repository, base and request, so a resubmission runs once)"
    ),
    Flag.optional
  ),
  provider: Flag.Literals("provider", ProviderName.literals).pipe(
    Flag.withDescription("AI provider for the job (the worker holds the keys); none runs template-only"),
    Flag.optional
  ),
  model: modelFlag,
  baseUrl: baseUrlFlag,
  runTests: Flag.Boolean("run-tests").pipe(
    Flag.withDescription("Run the change's tests (--no-run-tests skips them)"),
    Flag.withDefault(true)
  ),
  wait: Flag.Boolean("wait").pipe(Flag.withDescription("Wait for the job's result"), Flag.withDefault(false)),
  json
}

export const jobFlags = {
  database,
  requestId: Argument.String("ID").pipe(Argument.withDescription("The job's request id (see jobs)")),
  follow: Flag.Boolean("follow").pipe(
    Flag.withDescription("Keep showing progress until the job ends"),
    Flag.withDefault(false)
  ),
  json
}

type FlagsOf<T> = {
  readonly [K in keyof T]: T[K] extends Flag.Flag<infer A> ? A : T[K] extends Argument.Argument<infer A> ? A : never
}
export type WorkerFlags = FlagsOf<typeof workerFlags>
export type SubmitFlags = FlagsOf<typeof submitFlags>
export type JobFlags = FlagsOf<typeof jobFlags>
export type JobsFlags = FlagsOf<{ database: typeof database; json: typeof json }>

export const workerCommand = Command.make("worker", workerFlags, (flags) =>
  Effect.flatMap(Effect.promise(handlers), (handler) => handler.runWorker(flags))
).pipe(Command.withDescription("Run a warm worker that takes generation jobs from the database (SIGTERM drains it)"))

export const submitCommand = Command.make("submit", submitFlags, (flags) =>
  Effect.flatMap(Effect.promise(handlers), (handler) => handler.submitJob(flags))
).pipe(Command.withDescription("Queue a generation job on a repository for the workers"))

export const jobsCommand = Command.make("jobs", { database, json }, (flags) =>
  Effect.flatMap(Effect.promise(handlers), (handler) => handler.listJobs(flags))
).pipe(Command.withDescription("List the jobs: queued, running, done, failed, with repository and branch"))

export const jobCommand = Command.make("job", jobFlags, (flags) =>
  Effect.flatMap(Effect.promise(handlers), (handler) => handler.showJob(flags))
).pipe(Command.withDescription("Show one job's progress and result"))
