/**
 * The tests generator on real projects: for each language, tests generated template-only for a
 * fixture module pass with the real runner, and fail, naming the test and the mismatch, once a
 * bug is planted in the module.
 */
import { NodeServices } from "@effect/platform-node"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { GeneratorFailedError } from "../../../core/errors.ts"
import { GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { TemplateGenerator } from "../../../plugins/generators/template/TemplateGenerator.ts"
import { TestGenerator } from "../../../plugins/generators/tests/TestGenerator.ts"
import { TestTargetError } from "../../../plugins/generators/tests/TestGeneratorError.ts"
import { TypeScript } from "../../../plugins/languages/typescript/TypeScript.ts"
import { ProcessTestRunner } from "../../../plugins/testing/ProcessTestRunner.ts"
import {
  copyProject,
  languages,
  plant,
  projectRequest,
  removeCopies,
  runGenerator,
  templates,
  writeInto
} from "./ProjectFixture.ts"

afterEach(removeCopies)

const generators = Layer.mergeAll(TestGenerator.layer, TemplateGenerator.layer).pipe(
  Layer.provideMerge(GeneratorRegistry.layer),
  Layer.provideMerge(templates),
  Layer.provideMerge(languages)
)
const runner = ProcessTestRunner.layer().pipe(Layer.provide(Layer.mergeAll(NodeServices.layer, languages)))
const layer = Layer.mergeAll(generators, runner)

const cases = [
  {
    language: "typescript",
    testFile: "test/text.test.ts",
    framework: "vitest",
    tests: 4,
    bug: { file: "src/text.ts", from: 'join("-")', to: 'join("_")' },
    failing: /slugify/,
    message: /hello-world/
  },
  {
    language: "python",
    testFile: "tests/test_slug.py",
    framework: "pytest",
    tests: 4,
    bug: { file: "textkit/slug.py", from: "len(text.split())", to: "len(text.split(' '))" },
    failing: /word_count/,
    message: /3|0/
  },
  {
    language: "go",
    testFile: "textkit_test.go",
    framework: "go test",
    tests: 4,
    bug: { file: "textkit.go", from: '}), "-")', to: '}), "_")' },
    failing: /TestSlugifyExamples/,
    message: /Slugify\("Hello, World!"\) = hello_world, want hello-world/
  },
  {
    language: "rust",
    testFile: "tests/text.rs",
    framework: "cargo test",
    tests: 4,
    bug: { file: "src/text.rs", from: "split_whitespace().count()", to: "split(' ').count()" },
    failing: /word_count_examples/,
    message: /word_count\("one two {2}three"\) -> 3/
  }
] as const

describe("TestGenerator on real projects", () => {
  it.live.each(cases)(
    "$language: generated tests pass with $framework, and fail on a planted bug",
    (c) =>
      Effect.gen(function* () {
        const dir = copyProject(c.language)
        const request = yield* projectRequest(c.language)
        const output = yield* runGenerator(request, dir)
        expect(output.generator).toBe("tests")
        expect(output.files.map((f) => f.path)).toEqual([c.testFile])
        writeInto(dir, output.files)

        const tests = yield* TestRunner
        const passing = yield* tests.run({ workspace: dir, language: c.language, files: [c.testFile] })
        expect(passing.framework).toBe(c.framework)
        expect(passing.status, passing.output).toBe("passed")
        expect(passing.passed).toBe(c.tests)

        plant(dir, c.bug.file, c.bug.from, c.bug.to)
        const failing = yield* tests.run({ workspace: dir, language: c.language, files: [c.testFile] })
        expect(failing.status, failing.output).toBe("failed")
        const failed = failing.cases.filter((t) => t.status === "failed")
        expect(failed.map((t) => t.name)).toEqual([expect.stringMatching(c.failing)])
        expect(failed[0]?.message ?? "").toMatch(c.message)
      }).pipe(Effect.provide(layer)),
    120_000
  )
})

/** The plugin's reason behind a generator failure (its cause), else the core error's tag. */
const problemOfError = (error: { readonly _tag: string }) =>
  error instanceof GeneratorFailedError && error.generator === "tests" && error.cause instanceof TestTargetError
    ? error.cause.problem
    : error._tag

describe("TestGenerator", () => {
  it.effect("serves test requests that name a target, at priority 5 above the template generator", () =>
    Effect.gen(function* () {
      const request = yield* projectRequest("typescript")
      const registry = yield* GeneratorRegistry
      expect((yield* registry.resolve(request)).name).toBe("tests")
      const withoutTarget = new CodeGenerationRequest({ ...request, parameters: {} })
      expect((yield* registry.resolve(withoutTarget)).name).toBe("template")
    }).pipe(Effect.provide(generators))
  )

  it.effect("limits the tests to `symbols`", () =>
    Effect.gen(function* () {
      const dir = copyProject("typescript")
      const request = yield* projectRequest("typescript")
      const only = new CodeGenerationRequest({
        ...request,
        parameters: { target: "src/text.ts", symbols: ["truncate"] }
      })
      const output = yield* runGenerator(only, dir)
      const content = output.files[0]?.content ?? ""
      expect(content).toContain('import { truncate } from "../src/text.ts"')
      expect(content).toContain("expect(truncate.length).toBe(2)")
      expect(content).not.toContain("slugify")
    }).pipe(Effect.provide(generators))
  )

  it.effect("writes node:test tests when the workspace does not use vitest", () =>
    Effect.gen(function* () {
      const dir = copyProject("typescript")
      writeInto(dir, [{ path: "package.json", content: '{ "name": "x", "type": "module" }\n' }])
      const output = yield* runGenerator(yield* projectRequest("typescript"), dir)
      const content = output.files[0]?.content ?? ""
      expect(content).toContain('import { describe, it } from "node:test"')
      expect(content).toContain('assert.deepStrictEqual(slugify("Hello, World!"), "hello-world"')
      expect(output.notes[0]).toContain("node:test")
    }).pipe(Effect.provide(generators))
  )

  it.effect("never overwrites a hand-written test file", () =>
    Effect.gen(function* () {
      const dir = copyProject("go")
      writeInto(dir, [
        {
          path: "textkit_test.go",
          content: 'package textkit\n\nimport "testing"\n\nfunc TestSlugifyExamples(t *testing.T) {}\n'
        }
      ])
      const output = yield* runGenerator(yield* projectRequest("go"), dir)
      expect(output.files[0]?.path).toBe("textkit_generated_test.go")
      expect(output.files[0]?.content).toContain("func TestSlugifyExamplesGenerated(t *testing.T)")
      expect(output.files[0]?.content).toContain("func TestWordCountExamples(t *testing.T)")
    }).pipe(Effect.provide(generators))
  )

  it.effect("fails with a typed error for a missing target, a module without exports, an unknown language", () =>
    Effect.gen(function* () {
      const dir = copyProject("python")
      const request = yield* projectRequest("python")
      const problemOf = (target: string) =>
        runGenerator(new CodeGenerationRequest({ ...request, parameters: { target } }), dir).pipe(
          Effect.flip,
          Effect.map((error) => problemOfError(error))
        )
      expect(yield* problemOf("textkit/missing.py")).toBe("ParameterInvalidError")
      expect(yield* problemOf("textkit/__init__.py")).toBe("no-exports")
      expect(yield* problemOf("pyproject.toml")).toBe("unsupported-language")
    }).pipe(Effect.provide(generators))
  )

  it.effect("knows a language only through its registered pack", () =>
    Effect.gen(function* () {
      const dir = copyProject("python")
      const request = yield* projectRequest("python")
      const error = yield* Effect.flip(runGenerator(request, dir))
      expect(problemOfError(error)).toBe("unsupported-language")
      const registry = yield* GeneratorRegistry
      const generator = (yield* registry.list).find((g) => g.name === "tests")
      // Its template is the one the request's pack names, and none for a pack without a test layout.
      const typescript = yield* (yield* LanguageRegistry).get("ts")
      expect(generator?.templateFor?.(request, typescript)).toBe("typescript/test-from-source")
      expect(generator?.templateFor?.(request, { ...typescript, testLayout: undefined })).toBeUndefined()
    }).pipe(
      Effect.provide(
        Layer.mergeAll(TestGenerator.layer, TemplateGenerator.layer).pipe(
          Layer.provideMerge(GeneratorRegistry.layer),
          Layer.provideMerge(templates),
          Layer.provideMerge(TypeScript.layer.pipe(Layer.provideMerge(LanguageRegistry.layer)))
        )
      )
    )
  )
})
