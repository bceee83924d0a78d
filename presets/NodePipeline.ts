/**
 * NodePipeline: the default wiring — every built-in plugin composed into one typed pipeline
 * layer for a workspace on disk, in the style of `@effect/platform-node`'s `NodeServices`. Its
 * workspace is held under the workspace lock and recovered from a crashed run while the layer
 * is built (see `NodeWorkspace`), so an embedder gets the same guarantees as the CLI, which uses
 * this preset like any embedder. This is the only place that chooses plugins.
 */
import * as path from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Duration, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { type CodeGenConfig, defaultConfig, type ProviderConfig } from "../core/domain/Config.ts"
import type { ProgressEvent } from "../core/domain/Progress.ts"
import type { ConfigInvalidError, FileSystemError, GitError, WorkspaceLockedError } from "../core/errors.ts"
import { CodeGenerator } from "../core/pipeline/CodeGenerator.ts"
import type { AIProvider } from "../core/services/AIProvider.ts"
import { GeneratorRegistry } from "../core/services/GeneratorRegistry.ts"
import type { LanguageRegistry } from "../core/services/LanguageRegistry.ts"
import { PipelineConfig } from "../core/services/PipelineConfig.ts"
import { Progress } from "../core/services/Progress.ts"
import type { QualityChecker } from "../core/services/QualityChecker.ts"
import type { TemplateEngine } from "../core/services/TemplateEngine.ts"
import type { TemplateStore } from "../core/services/TemplateStore.ts"
import type { TestRunner } from "../core/services/TestRunner.ts"
import * as AIProviderRecording from "../plugins/ai/AIProviderRecording.ts"
import * as ProviderChain from "../plugins/ai/ProviderChain.ts"
import { defaultRetryPolicy } from "../plugins/ai/RetryPolicy.ts"
import { AIGenerator } from "../plugins/generators/ai/AIGenerator.ts"
import { DocGenerator } from "../plugins/generators/documentation/DocGenerator.ts"
import { TemplateGenerator } from "../plugins/generators/template/TemplateGenerator.ts"
import { TestGenerator } from "../plugins/generators/tests/TestGenerator.ts"
import { NunjucksEngine } from "../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FileTemplateStore } from "../plugins/templates/store/FileTemplateStore.ts"
import { ProcessTestRunner } from "../plugins/testing/ProcessTestRunner.ts"
import { languagesLayer, qualityLayer } from "./NodeQuality.ts"
import * as NodeWorkspace from "./NodeWorkspace.ts"

export { languagesLayer, qualityLayer }

/** Templates alone: what the `template` commands need. */
export const templatesLayer = (
  workspace: string | undefined,
  config: CodeGenConfig = defaultConfig
): Layer.Layer<TemplateStore | TemplateEngine> =>
  FileTemplateStore.layer({
    ...(workspace === undefined ? {} : { workspace }),
    // The config's `templateDirs`, relative to the workspace.
    packDirs: config.templateDirs.map((dir) => path.resolve(workspace ?? ".", dir))
  }).pipe(Layer.provideMerge(NunjucksEngine.layer))

/**
 * The AI provider of the config: replayed from a transcript, or the primary model with its
 * fallbacks (optionally recorded), or none (template-only).
 */
export const aiLayer = (provider: ProviderConfig): Layer.Layer<AIProvider, ConfigInvalidError> => {
  if (provider.replay !== undefined) {
    return AIProviderRecording.replay(provider.replay).pipe(Layer.provide(NodeFileSystem.layer))
  }
  const chain = ProviderChain.layer([provider, ...provider.fallbacks], {
    timeout: Duration.millis(provider.timeoutMs),
    stream: provider.stream,
    maxAnswerBytes: provider.maxAnswerBytes,
    retry: { ...defaultRetryPolicy, maxRetries: provider.maxRetries }
  }).pipe(Layer.provide(FetchHttpClient.layer))
  return provider.record === undefined
    ? chain
    : AIProviderRecording.record(provider.record).pipe(Layer.provide(chain), Layer.provide(NodeFileSystem.layer))
}

/** Everything the default pipeline provides besides its workspace. */
export type NodePipelineServices =
  | CodeGenerator
  | QualityChecker
  | LanguageRegistry
  | TestRunner
  | TemplateStore
  | TemplateEngine
  | GeneratorRegistry
  | Progress
  | AIProvider
  | PipelineConfig

export interface NodePipelineOptions extends Omit<NodeWorkspace.NodeWorkspaceOptions, "files"> {
  /** Told every progress event of the run. */
  readonly onProgress?: (event: ProgressEvent) => Effect.Effect<void>
  /** Replaces the config's provider (an evaluation's cassette, a scripted model). */
  readonly ai?: Layer.Layer<AIProvider, ConfigInvalidError>
}

/** The default plugins over `workspaceLayer`, which is built (locked, recovered) before any of them. */
const onWorkspace = <W, E>(
  workspaceLayer: Layer.Layer<W, E>,
  workspace: string,
  config: CodeGenConfig,
  options: NodePipelineOptions
) => {
  // One provider instance for the generator and the pipeline, so usage is counted once.
  const ai = options.ai ?? aiLayer(config.provider)
  const templates = templatesLayer(workspace, config)
  const services = Layer.mergeAll(
    qualityLayer,
    ProcessTestRunner.layer(undefined, { isolation: config.tests.isolation }).pipe(
      Layer.provide(NodeServices.layer),
      Layer.provide(languagesLayer)
    ),
    templates,
    Layer.mergeAll(
      TemplateGenerator.layer,
      TestGenerator.layer,
      DocGenerator.layer,
      AIGenerator.layer({
        contextTokens: config.provider.contextTokens,
        split: config.provider.split,
        concurrency: config.provider.concurrency
      })
    ).pipe(
      Layer.provideMerge(GeneratorRegistry.layer),
      Layer.provide(templates),
      Layer.provide(ai),
      Layer.provide(languagesLayer)
    ),
    Progress.layerWith(options.onProgress ?? (() => Effect.void)),
    ai,
    PipelineConfig.layer(config)
  )
  return CodeGenerator.layer.pipe(Layer.provideMerge(services), Layer.provideMerge(workspaceLayer))
}

/**
 * The whole pipeline for `workspace`: the lock is taken when the layer is built and held until
 * its scope closes, and a run a crash interrupted is finished or undone before anything reads
 * the workspace. Fails with WorkspaceLockedError when another run holds the lock (unless `wait`).
 */
export const layer = (
  workspace: string,
  config: CodeGenConfig,
  options: NodePipelineOptions = {}
): Layer.Layer<
  NodePipelineServices | NodeWorkspace.NodeWorkspaceServices | NodeWorkspace.RecoveredRuns,
  ConfigInvalidError | WorkspaceLockedError | FileSystemError | GitError
> => onWorkspace(NodeWorkspace.layer(workspace, { ...options, files: config.files }), workspace, config, options)

/**
 * The pipeline without the lock and without recovery: only for a workspace this process owns
 * alone (a scratch copy made for an evaluation or a worker); anything shared needs `layer`.
 */
export const layerUnlocked = (
  workspace: string,
  config: CodeGenConfig,
  options: NodePipelineOptions = {}
): Layer.Layer<
  NodePipelineServices | NodeWorkspace.NodeWorkspaceServices,
  ConfigInvalidError | FileSystemError | GitError
> => onWorkspace(NodeWorkspace.layerUnlocked(workspace, config.files), workspace, config, options)
