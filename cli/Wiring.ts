/**
 * The default wiring lives in `presets/NodePipeline.ts`; these names stay for existing imports
 * and the package's `./wiring` entry.
 */
import { Effect, type Layer } from "effect"
import type { CodeGenConfig } from "../core/domain/Config.ts"
import type { ProgressEvent } from "../core/domain/Progress.ts"
import type { ConfigInvalidError } from "../core/errors.ts"
import type { AIProvider } from "../core/services/AIProvider.ts"
import * as NodePipeline from "../presets/NodePipeline.ts"

export { aiLayer, languagesLayer, qualityLayer, templatesLayer } from "../presets/NodePipeline.ts"

/**
 * The pipeline without the workspace lock and without crash recovery (`NodePipeline.layerUnlocked`):
 * for a workspace this process owns alone. Anything shared should use `NodePipeline.layer`.
 */
export const pipelineLayer = (
  workspace: string,
  config: CodeGenConfig,
  onProgress: (event: ProgressEvent) => Effect.Effect<void> = () => Effect.void,
  ai: Layer.Layer<AIProvider, ConfigInvalidError> = NodePipeline.aiLayer(config.provider)
) => NodePipeline.layerUnlocked(workspace, config, { onProgress, ai })
