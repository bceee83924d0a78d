/**
 * JobPipeline: how a worker runs the pipeline on its checkout of a job's repository. The cluster
 * plugin knows no plugin wiring; the embedder (the CLI's worker, a test) provides it, built once
 * and kept warm across jobs.
 */
import { Context, type Effect, type Layer } from "effect"
import type { AIProvider } from "../../core/services/AIProvider.ts"
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
      /**
       * Wraps the run's model so that the job's answers are recorded and a resumed job replays
       * them (see `ModelAnswers`): the pipeline gives it the model it would use live.
       */
      readonly recordAnswers: <E>(live: Layer.Layer<AIProvider, E>) => Layer.Layer<AIProvider, E>
    }) => Effect.Effect<PipelineOutcome>
  }
>()("@tamma/codegen/cluster/JobPipeline") {}
