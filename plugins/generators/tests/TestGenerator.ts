/**
 * The tests generator (template-only): for a request naming a source file in
 * `parameters.target`, it reads the file, finds its exported functions, classes and methods,
 * picks the language's test framework and layout, turns the issue's examples into assertions,
 * and renders one test file through the language's `test-from-source` template.
 */
import { Effect, Option, Schema } from "effect"
import type { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import type { Template } from "../../../core/domain/Template.ts"
import { ParameterInvalidError, ParameterProblem } from "../../../core/errors.ts"
import {
  failAsGenerator,
  type Generator,
  type GeneratorInput,
  GeneratorRegistry
} from "../../../core/services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { TemplateEngine } from "../../../core/services/TemplateEngine.ts"
import { TemplateStore } from "../../../core/services/TemplateStore.ts"
import { parseExamples } from "./Examples.ts"
import { generatedMarker, generatedVariant } from "./GeneratedTestFile.ts"
import { planTests } from "./TestCases.ts"

import { TestTargetError } from "./TestGeneratorError.ts"

/** The parameters this generator reads; a template may declare more. */
export const TestParameters = Schema.Struct({
  target: Schema.NonEmptyString,
  symbols: Schema.optional(Schema.Array(Schema.String))
})
const decodeParameters = Schema.decodeUnknownEffect(TestParameters)

const fail = (target: string, problem: TestTargetError["problem"], detail: string) =>
  new TestTargetError({ target, problem, detail })

/** A test template chosen by the pipeline is used when it is one of ours (it reads the same parameters). */
const isTestsTemplate = (template: Template, id: string) =>
  template.manifest.metadata.generator === "tests" && template.id === id

export const TestGenerator = {
  name: "tests",
  /** Whether the generator serves a request: a `test` task that names a target file. */
  supports: (request: CodeGenerationRequest): boolean =>
    request.taskType === "test" && typeof request.parameters.target === "string",
  layer: GeneratorRegistry.register(
    Effect.gen(function* () {
      const engine = yield* TemplateEngine
      const store = yield* TemplateStore
      const languages = yield* LanguageRegistry

      const generate = Effect.fn("TestGenerator.generate")(function* (input: GeneratorInput) {
        const { request, read } = input
        const rawTarget = typeof request.parameters.target === "string" ? request.parameters.target : "(none)"
        const parameters = yield* decodeParameters(request.parameters).pipe(
          Effect.mapError((error) => fail(rawTarget, "invalid-parameters", error.message))
        )
        const target = parameters.target.replace(/^\.\//, "")
        const pack = Option.getOrUndefined(yield* languages.detect(target))
        const reader = pack?.symbols
        const layoutRule = pack?.testLayout
        if (pack === undefined || reader === undefined || layoutRule === undefined || !reader.reads(target))
          return yield* fail(target, "unsupported-language", "no symbol reader for this file type")
        const source = yield* read(target)
        // A target that is not there is a wrong request (bad input), not a failed generation.
        if (source === undefined) {
          return yield* new ParameterInvalidError({
            template: input.template.id,
            problems: [
              new ParameterProblem({ parameter: "target", message: `${target} is not a file of the workspace` })
            ]
          })
        }
        const symbols = yield* reader.read(source, target)
        if (symbols.length === 0) return yield* fail(target, "no-exports", "no exported function, class or method")

        const layout = yield* layoutRule
          .place({
            target,
            source,
            read,
            testDir: request.context.conventions?.testDir,
            framework: request.framework
          })
          .pipe(Effect.mapError((error) => fail(target, "layout", error.reason)))
        // A hand-written test file is never overwritten; a generated one is replaced.
        const existing = yield* read(layout.testPath)
        const handWritten = existing !== undefined && !existing.includes(generatedMarker)
        const testPath = handWritten ? generatedVariant(layout.testPath) : layout.testPath

        const examples = parseExamples([...request.context.issue.acceptanceCriteria, ...request.requirements.testing])
        const plan = planTests(
          layoutRule.cases,
          symbols,
          examples,
          parameters.symbols,
          handWritten ? existing : undefined
        )
        if (plan.tests.length === 0) {
          return yield* fail(target, "no-tests", plan.notes.join("; ") || "no symbol matched `symbols`")
        }

        const templateId = layoutRule.template
        const template = isTestsTemplate(input.template, templateId) ? input.template : yield* store.load(templateId)
        const files = yield* engine.render(template, {
          ...input.context,
          target,
          testPath,
          framework: layout.framework,
          subject: layout.subject,
          importFrom: layout.importFrom,
          imports: plan.imports,
          modules: plan.tests.some((test) => test.signatures.length > 0) ? ["inspect"] : [],
          tests: plan.tests
        })
        const assertions = plan.tests.reduce((n, test) => n + test.examples.length, 0)
        const checks = plan.tests.reduce((n, test) => n + test.signatures.length + test.types.length, 0)
        return {
          files,
          notes: [
            `${testPath}: ${plan.tests.length} test(s) for ${target} with ${layout.framework}: ${assertions} example assertion(s), ${checks} signature check(s)`,
            ...plan.notes
          ]
        }
      })

      const generator: Generator = {
        name: TestGenerator.name,
        taskTypes: ["test"],
        priority: 5,
        supports: TestGenerator.supports,
        templateFor: (_request, pack) => pack.testLayout?.template,
        // A target it cannot test is this plugin's own error: the core knows it as a generator failure.
        generate: (input) =>
          generate(input).pipe(Effect.catchTag("TestTargetError", failAsGenerator(TestGenerator.name)))
      }
      return generator
    })
  )
}
