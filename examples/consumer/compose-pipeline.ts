/**
 * examples/compose-pipeline.ts as a project that installed the package writes it: the same
 * pipeline composed by hand, imported from `@tamma/codegen`. Run: node compose-pipeline.ts
 */
import {
  AIProvider,
  CodeGenerationRequest,
  CodeGenerator,
  defaultConfig,
  GeneratorRegistry,
  Git,
  LanguageRegistry,
  PipelineConfig,
  Progress,
  QualityChecker
} from "@tamma/codegen"
import { MemoryFiles } from "@tamma/codegen/plugins/files/memory/MemoryWorkspace"
import { TemplateGenerator } from "@tamma/codegen/plugins/generators/template/TemplateGenerator"
import { TypeScript } from "@tamma/codegen/plugins/languages/typescript/TypeScript"
import { NunjucksEngine } from "@tamma/codegen/plugins/templates/nunjucks/NunjucksEngine"
import { FileTemplateStore } from "@tamma/codegen/plugins/templates/store/FileTemplateStore"
import { Effect, Layer, Schema } from "effect"

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
  // A dry run never commits: no repository needed.
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
// A rejected top-level await ends the process with exit code 1, with no Node typings needed.
if (status !== "success") throw new Error(`generation ${status}`)
