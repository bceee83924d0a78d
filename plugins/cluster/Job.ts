/**
 * A generation job as the cluster carries it: self-contained, so any worker on any machine can
 * run it — the repository by URL (never a path of the submitting machine's workspace), the
 * request, and the few run options a submitter may choose.
 */
import * as path from "node:path"
import { Schema } from "effect"
import { ProviderName } from "../../core/domain/Config.ts"
import { CodeGenerationRequest } from "../../core/domain/Request.ts"

/** A request id: what makes a job unique (a job submitted twice runs once). */
export const RequestId = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
    message: "Expected a request id of letters, digits, '.', '_' or '-' (at most 128, not starting with a symbol)"
  })
)

/** Where the job's code lives: a smart-HTTP URL, or an absolute path on a machine all workers share. */
export class JobRepository extends Schema.Class<JobRepository>("@tamma/codegen/cluster/JobRepository")({
  url: Schema.NonEmptyString,
  baseRef: Schema.NonEmptyString
}) {}

/** The run options a submitter chooses; credentials never travel in a job (each worker has its own). */
export class JobOptions extends Schema.Class<JobOptions>("@tamma/codegen/cluster/JobOptions")({
  provider: Schema.optional(ProviderName),
  model: Schema.optional(Schema.String),
  baseUrl: Schema.optional(Schema.String),
  runTests: Schema.optional(Schema.Boolean)
}) {}

/** A job: `{ requestId, repository, request, options }`. */
export class GenerationJob extends Schema.Class<GenerationJob>("@tamma/codegen/cluster/GenerationJob")({
  requestId: RequestId,
  repository: JobRepository,
  request: CodeGenerationRequest,
  options: JobOptions
}) {}

/** How a job ended. */
export const JobOutcome = Schema.Literals(["success", "failed", "cancelled"])
export type JobOutcome = typeof JobOutcome.Type

/** A job's result: where its change landed (branch and commit), or why there is none. */
export class JobResult extends Schema.Class<JobResult>("@tamma/codegen/cluster/JobResult")({
  requestId: RequestId,
  repository: Schema.String,
  status: JobOutcome,
  branch: Schema.optional(Schema.String),
  commit: Schema.optional(Schema.String),
  files: Schema.Array(Schema.String),
  errors: Schema.Array(Schema.String),
  /** The pipeline's own time on the worker, in ms (the engine's overhead is the rest). */
  pipelineMs: Schema.Number
}) {}

/** Whether `url` is fetched over smart HTTP (else it is a path on a shared disk). */
export const isHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url)

/**
 * The repository's identity: one entity per repository, so two spellings of one repository
 * (a trailing slash, `.git`, letter case of the host, a relative path) must map to one id.
 */
export const normaliseRepositoryUrl = (url: string): string => {
  if (isHttpUrl(url)) {
    const parsed = new URL(url)
    const pathname = parsed.pathname.replace(/\/+$/, "").replace(/\.git$/, "")
    const port = parsed.port === "" ? "" : `:${parsed.port}`
    return `${parsed.protocol}//${parsed.hostname.toLowerCase()}${port}${pathname}`
  }
  return path
    .resolve(url)
    .replace(/\/+$/, "")
    .replace(/\/\.git$/, "")
}

/** The branch a job's change goes to: the request's own, else one derived from the request id. */
export const jobBranch = (job: GenerationJob): string => job.request.options.branch ?? `tamma/${job.requestId}`
