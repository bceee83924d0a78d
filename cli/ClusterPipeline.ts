/**
 * The pipeline a worker runs its jobs with: the default preset on the job's checkout (without its
 * lock: the checkout is the job's own), the way `generate` runs it. Kept warm: the language packs
 * and quality tools are built once per worker and shared by every job (a layer memo map that
 * outlives the jobs). The job's model answers are recorded, so a resumed job does not pay twice.
 * They are warmed before the layer is built, so before the worker publishes its slots or serves
 * its entities: a job's first compile check, lint and format find them loaded.
 */
import { Context, Effect, Layer, Schema } from "effect"
import { ProgressEvent } from "../core/domain/Progress.ts"
import { CodeGenerationRequest } from "../core/domain/Request.ts"
import { CodeGenerator } from "../core/pipeline/CodeGenerator.ts"
import { JobPipeline } from "../plugins/cluster/JobPipeline.ts"
import { preloadBuiltinPacks } from "../plugins/templates/store/FileTemplateStore.ts"
import { CompileServer } from "../plugins/testing/CompileServer.ts"
import * as NodePipeline from "../presets/NodePipeline.ts"
import { compileServerLayer, warmDefaults, warmLanguages } from "../presets/WarmLayers.ts"
import { loadRunConfig } from "./ConfigTrust.ts"
import { visible } from "./TerminalText.ts"

const encodeEvent = Schema.encodeSync(Schema.fromJsonString(ProgressEvent))

/**
 * The languages whose formatters and linters a worker loads before it takes jobs: those its warm
 * compile check serves. Another language's load on its first job, as in a plain `generate`.
 */
export const warmedLanguages: ReadonlyArray<string> = ["typescript", "javascript"]

const failure = (errors: ReadonlyArray<string>) => ({ succeeded: false, files: [], commit: undefined, errors })

/** The worker's pipeline, warm across jobs. */
export const warmPipelineLayer: Layer.Layer<JobPipeline> = Layer.effect(
  JobPipeline,
  Effect.gen(function* () {
    // Built in the worker's scope: every job's build finds them warm.
    const buildOnWarm = yield* warmDefaults
    // Each of these is what the first job would otherwise pay for (a tsc server's start and first
    // check, tool threads, the built-in templates' read), while other jobs compete for the CPU.
    const server = Context.get(yield* Effect.scoped(buildOnWarm(compileServerLayer)), CompileServer)
    yield* Effect.all(
      [server.warm ?? Effect.void, warmLanguages(buildOnWarm, warmedLanguages), Effect.ignore(preloadBuiltinPacks())],
      { concurrency: "unbounded", discard: true }
    )
    return JobPipeline.of({
      run: ({ job, workspace, branch, onProgress, recordAnswers }) =>
        Effect.gen(function* () {
          const { config, warnings } = yield* loadRunConfig(workspace, {
            allowDirty: false,
            provider: job.options.provider,
            model: job.options.model,
            baseUrl: job.options.baseUrl
          })
          // What the repository's config asked for and was refused goes to the worker's log, as
          // the local CLI prints it; a job has no terminal of its own.
          for (const warning of warnings) {
            yield* Effect.logWarning(visible(warning)).pipe(Effect.annotateLogs({ requestId: job.requestId }))
          }
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
          const layer = NodePipeline.layerUnlocked(workspace, config, {
            onProgress: (event) => onProgress(encodeEvent(event)),
            ai: recordAnswers(NodePipeline.aiLayer(config.provider))
          })
          // The job's own services (its workspace's files and git, the generator) are built fresh.
          const context = yield* buildOnWarm(layer)
          const result = yield* Context.get(context, CodeGenerator).generate(request)
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
