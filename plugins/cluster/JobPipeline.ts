/**
 * JobPipeline: how a worker runs the pipeline on its checkout of a job's repository. The cluster
 * plugin knows no plugin wiring; the embedder (the CLI's worker, a test) provides it, built once
 * and kept warm across jobs.
 */
import { Context, type Effect } from "effect"
import type { GenerationJob } from "./Job.ts"

/** What a run reports as it goes, already encoded (JSON of a `ProgressEvent`). */
export type ProgressSink = (event: string) => Effect.Effect<void>

/** What a job needs of a run's result. */
export interface PipelineOutcome {
  readonly succeeded: boolean
  readonly files: ReadonlyArray<string>
  /** The commit the run made on the job's branch (only when it succeeded). */
  readonly commit: string | undefined
  readonly errors: ReadonlyArray<string>
}

export class JobPipeline extends Context.Service<
  JobPipeline,
  {
    /**
     * Runs the job's request on the clean work tree `workspace`, committing on `branch`. A failure
     * of the run, bad input included, is an outcome, not an error.
     */
    readonly run: (options: {
      readonly job: GenerationJob
      readonly workspace: string
      readonly branch: string
      readonly onProgress: ProgressSink
    }) => Effect.Effect<PipelineOutcome>
  }
>()("@tamma/codegen/cluster/JobPipeline") {}
