/**
 * The tests generator inside the pipeline (memory workspace, fake git, the real TypeScript pack):
 * a `test` request naming a target is served by it, its file is formatted, checked, run through
 * the test step and committed.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { CompileReport } from "../../../core/domain/CompileReport.ts"
import { defaultConfig } from "../../../core/domain/Config.ts"
import { reportFromCases, TestCase } from "../../../core/domain/TestReport.ts"
import { CodeGenerator } from "../../../core/pipeline/CodeGenerator.ts"
import { AIProvider } from "../../../core/services/AIProvider.ts"
import { GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { PipelineConfig } from "../../../core/services/PipelineConfig.ts"
import { Progress } from "../../../core/services/Progress.ts"
import { QualityChecker } from "../../../core/services/QualityChecker.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { MemoryFiles } from "../../../plugins/files/memory/MemoryWorkspace.ts"
import { TemplateGenerator } from "../../../plugins/generators/template/TemplateGenerator.ts"
import { TestGenerator } from "../../../plugins/generators/tests/TestGenerator.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FakeGit } from "../../core/support/FakeGit.ts"
import { projectRequest, projects, templates } from "./ProjectFixture.ts"

/** A compile check that finds nothing wrong. */
const passedCompile = () =>
  Effect.succeed(
    new CompileReport({ tool: "fake", status: "passed", diagnostics: [], command: "fake", output: "", durationMs: 1 })
  )

const fixture = (name: string) => {
  const dir = path.join(projects, name)
  const files: Record<string, string> = {}
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name)
      files[path.relative(dir, full)] = fs.readFileSync(full, "utf8")
    }
  }
  return files
}

const staged: Array<ReadonlyArray<string>> = []
const recordingRunner = Layer.succeed(
  TestRunner,
  TestRunner.of({
    run: () => Effect.die("not used"),
    checkStaged: passedCompile,
    runStaged: (options) =>
      Effect.sync(() => {
        staged.push(options.files ?? [])
        return reportFromCases({
          framework: "vitest",
          durationMs: 1,
          command: "fake",
          output: "",
          cases: [new TestCase({ name: "text slugify", status: "passed" })]
        })
      })
  })
)

const languages = TypeScript.layer.pipe(Layer.provideMerge(LanguageRegistry.layer))

const pipeline = Layer.mergeAll(
  QualityChecker.layer.pipe(Layer.provideMerge(languages)),
  Layer.mergeAll(TestGenerator.layer, TemplateGenerator.layer).pipe(
    Layer.provideMerge(GeneratorRegistry.layer),
    Layer.provide(templates),
    Layer.provide(languages)
  ),
  templates,
  MemoryFiles.layer(fixture("typescript")),
  FakeGit.layer,
  Progress.layer,
  AIProvider.layerNone,
  PipelineConfig.layer(defaultConfig),
  recordingRunner
).pipe((services) => CodeGenerator.layer.pipe(Layer.provideMerge(services)), Layer.provide(NunjucksEngine.layer))

describe("TestGenerator in the pipeline", () => {
  it.effect("generates, formats, tests and commits the test file of a target", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const result = yield* generator.generateTests(yield* projectRequest("typescript"))
      expect(result.errors).toEqual([])
      expect(result.status).toBe("success")
      expect(result.metadata.generator).toBe("tests")
      expect(result.files.map((f) => [f.path, f.action])).toEqual([["test/text.test.ts", "create"]])
      expect(result.files[0]?.content).toContain('expect(slugify("Hello, World!"), ')
      expect(result.suggestions.join("\n")).toContain("4 test(s) for src/text.ts with vitest")
      expect(staged.at(-1)).toEqual(["test/text.test.ts"])
      expect(result.tests?.passed).toBe(1)
      expect(result.commit?.branch).toBeDefined()
    }).pipe(Effect.provide(pipeline))
  )
})
