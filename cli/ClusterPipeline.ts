/**
 * The pipeline a worker runs its jobs with: the default wiring on the job's checkout, the way
 * `generate` runs it. Kept warm: the language packs and quality tools are built once per worker
 * and shared by every job (a layer memo map that outlives the jobs).
 */
import { Context, Effect, Layer, Schema } from "effect"
import { ProgressEvent } from "../core/domain/Progress.ts"
import { CodeGenerationRequest } from "../core/domain/Request.ts"
import { CodeGenerator } from "../core/pipeline/CodeGenerator.ts"
import { JobPipeline } from "../plugins/cluster/JobPipeline.ts"
import { loadRunConfig } from "./ConfigTrust.ts"
import { languagesLayer, pipelineLayer, qualityLayer } from "./Wiring.ts"

const encodeEvent = Schema.encodeSync(Schema.fromJsonString(ProgressEvent))

const methodOf = (request: CodeGenerationRequest) =>
  request.taskType === "test" ? "generateTests" : request.taskType === "refactoring" ? "refactorCode" : "generateCode"

const failure = (errors: ReadonlyArray<string>) => ({ succeeded: false, files: [], commit: undefined, errors })

/** The worker's pipeline, warm across jobs. */
export const warmPipelineLayer: Layer.Layer<JobPipeline> = Layer.effect(
  JobPipeline,
  Effect.gen(function* () {
    const memoMap = yield* Layer.makeMemoMap
    const workerScope = yield* Effect.scope
    // Built in the worker's scope: every job's build finds them in the memo map.
    yield* Layer.buildWithMemoMap(Layer.mergeAll(qualityLayer, languagesLayer), memoMap, workerScope).pipe(Effect.orDie)
    return JobPipeline.of({
      run: ({ job, workspace, branch, onProgress }) =>
        Effect.gen(function* () {
          const { config } = yield* loadRunConfig(workspace, {
            allowDirty: false,
            provider: job.options.provider,
            model: job.options.model,
            baseUrl: job.options.baseUrl
          })
          const request = new CodeGenerationRequest({
            ...job.request,
            options: {
              ...job.request.options,
              branch,
              commit: true,
              dryRun: false,
              runTests: job.options.runTests ?? job.request.options.runTests
            }
          })
          const layer = pipelineLayer(workspace, config, (event) => onProgress(encodeEvent(event)))
          // A child map: it finds the warm layers, and builds the job's own (its workspace's
          // files and git, the generator over them) fresh, never shared with another job.
          const jobMemoMap = Layer.forkMemoMapUnsafe(memoMap)
          const context = yield* Layer.buildWithMemoMap(layer, jobMemoMap, yield* Effect.scope)
          const result = yield* Context.get(context, CodeGenerator)[methodOf(request)](request)
          const errors = result.errors.map((error) => `${error.tag}: ${error.message}`)
          return {
            succeeded: result.status === "success",
            files: result.files.map((file) => file.path),
            commit: result.commit?.sha,
            errors
          }
        }).pipe(
          Effect.scoped,
          Effect.catch((error) => Effect.succeed(failure([`${error._tag}: ${error.message}`])))
        )
    })
  })
)
