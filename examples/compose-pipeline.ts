/**
 * Compose a pipeline by hand and run it in memory: template-only generation of a TypeScript
 * module into an in-memory workspace, as a dry run. Run: node examples/compose-pipeline.ts
 */
import { Effect, Layer, Schema } from "effect"
import { defaultConfig } from "../core/domain/Config.ts"
import { CodeGenerationRequest } from "../core/domain/Request.ts"
import { CodeGenerator } from "../core/pipeline/CodeGenerator.ts"
import { AIProvider } from "../core/services/AIProvider.ts"
import { GeneratorRegistry } from "../core/services/GeneratorRegistry.ts"
import { Git } from "../core/services/Git.ts"
import { LanguageRegistry } from "../core/services/LanguageRegistry.ts"
import { PipelineConfig } from "../core/services/PipelineConfig.ts"
import { Progress } from "../core/services/Progress.ts"
import { QualityChecker } from "../core/services/QualityChecker.ts"
import { MemoryFiles } from "../plugins/files/memory/MemoryWorkspace.ts"
import { TemplateGenerator } from "../plugins/generators/template/TemplateGenerator.ts"
import { TypeScript } from "../plugins/languages/typescript/TypeScript.ts"
import { NunjucksEngine } from "../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FileTemplateStore } from "../plugins/templates/store/FileTemplateStore.ts"

const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
  taskType: "implementation",
  language: "typescript",
  template: "typescript/module",
  context: { issue: { number: 1, title: "Add a clamp helper" } },
  parameters: {
    name: "math",
    functions: [
      {
        name: "clamp",
        doc: "Limits a value to [min, max].",
        params: [
          { name: "value", type: "number" },
          { name: "min", type: "number" },
          { name: "max", type: "number" }
        ],
        returns: "number",
        body: "return Math.min(Math.max(value, min), max)",
        examples: [{ args: [5, 0, 3], expected: 3 }]
      }
    ]
  },
  options: { dryRun: true }
})

const languages = TypeScript.layer.pipe(Layer.provideMerge(LanguageRegistry.layer))
const templates = FileTemplateStore.layer().pipe(Layer.provideMerge(NunjucksEngine.layer))
const services = Layer.mergeAll(
  QualityChecker.layer.pipe(Layer.provideMerge(languages)),
  templates,
  TemplateGenerator.layer.pipe(Layer.provideMerge(GeneratorRegistry.layer), Layer.provide(NunjucksEngine.layer)),
  MemoryFiles.layer(),
  // A dry run never commits: it needs no repository.
  Git.layerNone,
  Progress.layerWith((event) =>
    event._tag === "StepFinished" ? Effect.log(`${event.step}: ${event.status}`) : Effect.void
  ),
  AIProvider.layerNone,
  PipelineConfig.layer(defaultConfig)
)

const program = Effect.gen(function* () {
  const generator = yield* CodeGenerator
  const result = yield* generator.generateCode(request)
  for (const file of result.files)
    yield* Effect.log(`${file.action} ${file.path} (quality ${file.quality.score})\n${file.diff}`)
  return result.status
})

const status = await Effect.runPromise(
  program.pipe(Effect.provide(CodeGenerator.layer.pipe(Layer.provideMerge(services))))
)
if (status !== "success") process.exitCode = 1
