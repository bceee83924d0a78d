/**
 * PipelineConfig: the decoded CodeGenConfig that a pipeline was built with.
 */
import { Context, Effect, Layer } from "effect"
import { type CodeGenConfig, decodeConfig, defaultConfig } from "../domain/Config.ts"
import { ConfigInvalidError } from "../errors.ts"

export class PipelineConfig extends Context.Service<PipelineConfig, CodeGenConfig>()(
  "@tamma/codegen/services/PipelineConfig"
) {
  static readonly layer = (config: CodeGenConfig) => Layer.succeed(PipelineConfig, config)

  /** Decodes an unknown value (a parsed config file) into the config, naming bad fields. */
  static readonly layerDecode = (input: unknown, source = "config") =>
    Layer.effect(
      PipelineConfig,
      decodeConfig(input).pipe(Effect.mapError((error) => new ConfigInvalidError({ source, details: error.message })))
    )

  static readonly layerDefault = Layer.succeed(PipelineConfig, defaultConfig)
}
