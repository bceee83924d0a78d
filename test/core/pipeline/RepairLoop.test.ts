/**
 * The repair loop with a scripted model and in-memory parts: which state it keeps, what each
 * repair round is built from, and what bounds it.
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { CompileReport } from "../../../core/domain/CompileReport.ts"
import { CodeGenConfig } from "../../../core/domain/Config.ts"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { RepairIteration } from "../../../core/domain/Result.ts"
import { reportFromCases, TestCase } from "../../../core/domain/TestReport.ts"
import { CodeGenerator } from "../../../core/pipeline/CodeGenerator.ts"
import { type CheckedState, repairLoop } from "../../../core/pipeline/Repair.ts"
import { AIProvider, type ScriptedAnswer, type SendMessageRequest } from "../../../core/services/AIProvider.ts"
import { GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { PipelineConfig } from "../../../core/services/PipelineConfig.ts"
import { Progress } from "../../../core/services/Progress.ts"
import { QualityChecker } from "../../../core/services/QualityChecker.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { MemoryFiles, MemoryWorkspace } from "../../../plugins/files/memory/MemoryWorkspace.ts"
import { AIGenerator } from "../../../plugins/generators/ai/AIGenerator.ts"
import { TemplateGenerator } from "../../../plugins/generators/template/TemplateGenerator.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FileTemplateStore } from "../../../plugins/templates/store/FileTemplateStore.ts"
import { FakeGit, FakeGitRepo } from "../support/FakeGit.ts"
import { FakeLanguage } from "../support/FakeLanguage.ts"

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "templates")

/** Tests that fail while a staged file says `bug`; a compile check that fails on `syntax!`. */
const fakeRunner = Layer.succeed(
  TestRunner,
  TestRunner.of({
    run: () => Effect.die("not used"),
    checkStaged: ({ changes }) =>
      Effect.succeed(
        new CompileReport({
          tool: "fake-compiler",
          status: changes.some((c) => c.after?.includes("syntax!")) ? "failed" : "passed",
          diagnostics: changes
            .filter((c) => c.after?.includes("syntax!"))
            .map((c) => ({ file: c.path, line: 1, message: "unexpected syntax!" })),
          command: "fake",
          output: "",
          durationMs: 1
        })
      ),
    runStaged: ({ changes }) =>
      Effect.succeed(
        reportFromCases({
          framework: "fake",
          durationMs: 1,
          command: "fake",
          output: "",
          cases: [
            new TestCase({
              name: "a works",
              status: changes.some((c) => c.after?.includes("bug")) ? "failed" : "passed",
              message: "expected 2, got the bug"
            })
          ]
        })
      )
  })
)

const pipeline = (answers: ReadonlyArray<ScriptedAnswer>, seen: Array<SendMessageRequest>, config: object = {}) => {
  const templates = FileTemplateStore.layer({ builtinDir: fixtures }).pipe(Layer.provideMerge(NunjucksEngine.layer))
  const model = AIProvider.layerScripted(answers, { onRequest: (request) => seen.push(request) })
  const languages = FakeLanguage.layer.pipe(Layer.provideMerge(LanguageRegistry.layer))
  const generators = Layer.mergeAll(TemplateGenerator.layer, AIGenerator.layer({ split: "whole" })).pipe(
    Layer.provideMerge(GeneratorRegistry.layer),
    Layer.provide([NunjucksEngine.layer, model, languages])
  )
  const services = Layer.mergeAll(
    QualityChecker.layer.pipe(Layer.provideMerge(languages)),
    templates,
    generators,
    MemoryFiles.layer({}),
    FakeGit.layer,
    Progress.layer,
    model,
    fakeRunner,
    PipelineConfig.layer(Schema.decodeUnknownSync(CodeGenConfig)(config))
  )
  return CodeGenerator.layer.pipe(Layer.provideMerge(services))
}

const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
  taskType: "implementation",
  language: "typescript",
  template: "typescript/echo",
  context: { issue: { number: 5, title: "Write a", acceptanceCriteria: ["a is 2"] } },
  parameters: { path: "test/a.test.ts", content: "export const a = 0\n" }
})

const whole = (content: string) => `### test/a.test.ts\n\`\`\`ts\n${content}\`\`\`\n`
const review = '{"findings": []}'

describe("the repair loop", () => {
  it.effect("keeps the best state, not the last, and repairs from it", () => {
    const seen: Array<SendMessageRequest> = []
    return Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const result = yield* generator.generateCode(request)
      expect(result.iterations.map((i) => i.outcome)).toEqual(["tests-failed", "gate-failed", "passed"])
      expect(result.status).toBe("success")
      expect((yield* memory.snapshot)["test/a.test.ts"]).toBe("export const a = 2\n")
      // Round 3 was asked from round 1's state (the best), not round 2's worse one.
      const third = seen[2]?.messages.at(-1)?.content ?? ""
      expect(third).toContain("the bug")
      expect(third).not.toContain("eval(")
      expect(third).toContain("a is 2")
    }).pipe(
      Effect.provide(
        pipeline(
          [
            whole("export const a = 1 // bug\n"),
            whole("export const a = eval('2') // bug\n"),
            whole("export const a = 2\n"),
            review
          ],
          seen
        )
      )
    )
  })

  it.effect("sends compiler errors with file and line, and skips the tests of code that does not compile", () => {
    const seen: Array<SendMessageRequest> = []
    return Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const result = yield* generator.generateCode(request)
      expect(result.iterations.map((i) => i.outcome)).toEqual(["compile-failed", "passed"])
      expect(seen[1]?.messages.at(-1)?.content).toContain("compile: test/a.test.ts:1 unexpected syntax!")
      expect(result.metadata.steps.find((s) => s.step === "test")?.detail).toBe("the change does not compile")
    }).pipe(
      Effect.provide(pipeline([whole("export const a = syntax!\n"), whole("export const a = 2\n"), review], seen))
    )
  })

  it.effect("ends failed with the last failure's error when the rounds run out, writing nothing", () => {
    const seen: Array<SendMessageRequest> = []
    return Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const repo = yield* FakeGitRepo
      const result = yield* generator.generateCode(request)
      expect(result.status).toBe("failed")
      expect(result.errors.map((e) => e.tag)).toEqual(["TestsFailedError"])
      expect(result.iterations).toHaveLength(2)
      expect(seen).toHaveLength(2)
      // What would have been written is shown, not applied.
      expect(result.applied).toBe(false)
      expect(result.files.map((f) => [f.path, f.action])).toEqual([["test/a.test.ts", "create"]])
      expect(yield* memory.snapshot).toEqual({})
      expect([...repo.branches.keys()]).toEqual(["main"])
    }).pipe(
      Effect.provide(
        pipeline([whole("export const a = 1 // bug\n"), whole("export const a = 3 // bug\n")], seen, {
          maxIterations: 2
        })
      )
    )
  })

  it.effect("starts no repair round once the run's token budget is spent", () => {
    const seen: Array<SendMessageRequest> = []
    return Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const result = yield* generator.generateCode(request)
      expect(result.status).toBe("failed")
      expect(result.iterations).toHaveLength(1)
      expect(seen).toHaveLength(1)
      expect(result.errors[0]?.tag).toBe("TestsFailedError")
      expect(result.suggestions).toContain("repair stopped: the run's token budget (10) is spent")
    }).pipe(Effect.provide(pipeline([whole("export const a = 1 // bug\n")], seen, { tokenBudget: 10 })))
  })

  it.effect("a file too large or binary reaches no tool and fails the gate, whatever the gate's settings", () => {
    const seen: Array<SendMessageRequest> = []
    return Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const result = yield* generator.generateCode(request)
      expect(result.status).toBe("failed")
      expect(result.errors[0]?.tag).toBe("QualityGateError")
      expect(result.errors[0]?.message).toContain("test/a.test.ts: binary (contains a NUL byte), not checked")
      expect(yield* memory.snapshot).toEqual({})
    }).pipe(
      Effect.provide(
        pipeline([whole("export const a = 1\u0000\n")], seen, {
          maxIterations: 1,
          quality: { minScore: 0, failOnSyntax: false, failOnSecurity: [] }
        })
      )
    )
  })

  it.effect("counts the budget from the run's start, not over the provider's lifetime", () =>
    Effect.gen(function* () {
      const state = (outcome: "tests-failed" | "passed"): CheckedState => ({
        output: { files: [], notes: [] },
        files: [],
        changes: [],
        compile: undefined,
        tests: undefined,
        gateMet: true,
        testsPassed: outcome === "passed",
        score: 1,
        outcome,
        error: undefined,
        failures: outcome === "passed" ? [] : ["test: a fails"]
      })
      let repairs = 0
      const loop = yield* repairLoop({
        first: { files: [], notes: [] },
        evaluate: () => Effect.succeed(state(repairs === 0 ? "tests-failed" : "passed")),
        repair: () =>
          Effect.sync(() => {
            repairs += 1
            return { files: [], notes: [] }
          }),
        maxIterations: 3,
        tokenBudget: 10,
        // Earlier runs of a long-lived provider used a million tokens; this one has used none yet.
        usage: Effect.succeed({ calls: 500, tokens: 1_000_000 }),
        usageBefore: { calls: 500, tokens: 1_000_000 },
        onIteration: () => Effect.void,
        makeIteration: (fields) => new RepairIteration(fields)
      })
      expect(repairs).toBe(1)
      expect(loop.best.outcome).toBe("passed")
    })
  )
})
