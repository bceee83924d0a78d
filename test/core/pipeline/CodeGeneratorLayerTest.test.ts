import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { Template, TemplateManifest, TemplateParameter } from "../../../core/domain/Template.ts"
import { CodeGenerator } from "../../../core/pipeline/CodeGenerator.ts"
import { TemplateStore } from "../../../core/services/TemplateStore.ts"
import { MemoryFiles, MemoryWorkspace } from "../../../plugins/files/memory/MemoryWorkspace.ts"
import { TemplateGenerator } from "../../../plugins/generators/template/TemplateGenerator.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FakeLanguage } from "../support/FakeLanguage.ts"

const greeting = new Template({
  manifest: new TemplateManifest({
    id: "typescript/greeting",
    name: "greeting",
    description: "",
    language: "typescript",
    category: "implementation",
    tags: [],
    version: "1.0.0",
    parameters: [new TemplateParameter({ name: "name", type: "string", required: true, description: "" })],
    dependencies: [],
    example: {},
    metadata: {}
  }),
  files: [{ path: "src/{{ name }}.ts", source: 'export const {{ name }} = "hello"\n' }],
  partials: {},
  source: "builtin",
  hash: "greeting@1.0.0"
})

const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
  taskType: "implementation",
  language: "typescript",
  context: { issue: { number: 3, title: "Say hello" } },
  parameters: { name: "greet" }
})

/** The whole wiring of a pipeline test: what the test brings, on a memory workspace. */
const pipeline = CodeGenerator.layerTest({
  templates: TemplateStore.layerMemory([greeting]),
  plugins: Layer.mergeAll(FakeLanguage.layer, TemplateGenerator.layer.pipe(Layer.provide(NunjucksEngine.layer)))
}).pipe(Layer.provideMerge(MemoryFiles.layer({})))

describe("CodeGenerator.layerTest", () => {
  it.effect("runs the whole pipeline with no-op git, runner and model: the file is written and committed nowhere", () =>
    Effect.gen(function* () {
      const result = yield* (yield* CodeGenerator).generate(request)
      expect(result.status).toBe("success")
      expect(yield* (yield* MemoryWorkspace).snapshot).toEqual({ "src/greet.ts": 'export const greet = "hello"\n' })
      expect(result.commit?.sha).toBe("0".repeat(40))
      expect(result.metadata.provider).toBe("none")
      expect(result.metadata.steps.find((s) => s.step === "test")?.status).toBe("skipped")
    }).pipe(Effect.provide(pipeline))
  )

  it.effect("generateTests is generate with the task type set: no test template here, so bad input", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip((yield* CodeGenerator).generateTests(request))
      expect(error._tag).toBe("TemplateNotFoundError")
      expect(yield* (yield* MemoryWorkspace).snapshot).toEqual({})
    }).pipe(Effect.provide(pipeline))
  )
})
