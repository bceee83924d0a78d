/**
 * The default wiring of the CLI: every built-in plugin composed into one pipeline layer for a
 * workspace. This is the only place that chooses plugins.
 */

import * as path from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Duration, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { type CodeGenConfig, defaultConfig, type ProviderConfig } from "../core/domain/Config.ts"
import type { ProgressEvent } from "../core/domain/Progress.ts"
import type { ConfigInvalidError } from "../core/errors.ts"
import { CodeGenerator } from "../core/pipeline/CodeGenerator.ts"
import type { AIProvider } from "../core/services/AIProvider.ts"
import { GeneratorRegistry } from "../core/services/GeneratorRegistry.ts"
import { PipelineConfig } from "../core/services/PipelineConfig.ts"
import { Progress } from "../core/services/Progress.ts"
import * as AIProviderRecording from "../plugins/ai/AIProviderRecording.ts"
import * as ProviderChain from "../plugins/ai/ProviderChain.ts"
import { defaultRetryPolicy } from "../plugins/ai/RetryPolicy.ts"
import { NodeFiles } from "../plugins/files/node/NodeWorkspace.ts"
import { AIGenerator } from "../plugins/generators/ai/AIGenerator.ts"
import { DocGenerator } from "../plugins/generators/documentation/DocGenerator.ts"
import { TemplateGenerator } from "../plugins/generators/template/TemplateGenerator.ts"
import { TestGenerator } from "../plugins/generators/tests/TestGenerator.ts"
import { IsomorphicGit } from "../plugins/git/isomorphic-git/IsomorphicGit.ts"
import { NunjucksEngine } from "../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FileTemplateStore } from "../plugins/templates/store/FileTemplateStore.ts"
import { ProcessTestRunner } from "../plugins/testing/ProcessTestRunner.ts"
import { languagesLayer, qualityLayer } from "./QualityWiring.ts"

export { languagesLayer, qualityLayer }

/** Templates alone: what the `template` commands need. */
export const templatesLayer = (workspace: string | undefined, config: CodeGenConfig = defaultConfig) =>
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

/** The whole pipeline for `workspace`; `ai` replaces the config's provider (an evaluation's cassette). */
export const pipelineLayer = (
  workspace: string,
  config: CodeGenConfig,
  onProgress: (event: ProgressEvent) => Effect.Effect<void> = () => Effect.void,
  ai: Layer.Layer<AIProvider, ConfigInvalidError> = aiLayer(config.provider)
) => {
  // One provider instance for the generator and the pipeline, so usage is counted once.
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
    NodeFiles.layer(workspace, config.files),
    IsomorphicGit.layer(workspace),
    Progress.layerWith(onProgress),
    ai,
    PipelineConfig.layer(config)
  )
  return CodeGenerator.layer.pipe(Layer.provideMerge(services))
}
