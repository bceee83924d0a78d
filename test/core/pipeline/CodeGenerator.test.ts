import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Schema, Stream } from "effect"
import { CompileReport } from "../../../core/domain/CompileReport.ts"
import type { ProgressEvent } from "../../../core/domain/Progress.ts"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { TokenUsage } from "../../../core/domain/Result.ts"
import { RenderedFile } from "../../../core/domain/Template.ts"
import { reportFromCases, TestCase } from "../../../core/domain/TestReport.ts"
import { CodeGenerator } from "../../../core/pipeline/CodeGenerator.ts"
import { AIProvider, TextListener } from "../../../core/services/AIProvider.ts"
import { type Generator, GeneratorRegistry } from "../../../core/services/GeneratorRegistry.ts"
import { Progress } from "../../../core/services/Progress.ts"
import { TestRunner } from "../../../core/services/TestRunner.ts"
import { MemoryFiles, MemoryWorkspace } from "../../../plugins/files/memory/MemoryWorkspace.ts"
import { TemplateGenerator } from "../../../plugins/generators/template/TemplateGenerator.ts"
import { NunjucksEngine } from "../../../plugins/templates/nunjucks/NunjucksEngine.ts"
import { FileTemplateStore } from "../../../plugins/templates/store/FileTemplateStore.ts"
import { FakeGit, FakeGitRepo } from "../support/FakeGit.ts"
import { FakeLanguage } from "../support/FakeLanguage.ts"

/** A compile check that finds nothing wrong. */
const passedCompile = () =>
  Effect.succeed(
    new CompileReport({ tool: "fake", status: "passed", diagnostics: [], command: "fake", output: "", durationMs: 1 })
  )

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "templates")

/** A TestRunner that answers with a fixed report and remembers what it was asked to run. */
const fakeTests = (status: "passed" | "failed", calls: Array<ReadonlyArray<string>>) =>
  Layer.succeed(
    TestRunner,
    TestRunner.of({
      run: () => Effect.die("not used"),
      checkStaged: passedCompile,
      runStaged: (options) =>
        Effect.sync(() => {
          calls.push(options.changes.map((c) => c.path))
          return reportFromCases({
            framework: "fake",
            durationMs: 1,
            command: "fake",
            output: "",
            cases: [
              new TestCase({ name: "works", status: "passed" }),
              ...(status === "failed"
                ? [new TestCase({ name: "breaks", status: "failed", message: "expected 1 to be 2" })]
                : [])
            ]
          })
        })
    })
  )

/**
 * A model that streams its answer in two deltas, and a generator that writes what it answers.
 * The model says it is unavailable, so the improve and review passes stay out of the way.
 */
const streamingGenerator = GeneratorRegistry.register(
  Effect.gen(function* () {
    const ai = yield* AIProvider
    return {
      name: "streamed",
      taskTypes: ["implementation"],
      priority: 100,
      supports: () => true,
      generate: () =>
        ai.sendMessage({ messages: [{ role: "user", content: "write it" }] }).pipe(
          Effect.map((answer) => ({
            files: [new RenderedFile({ path: "src/streamed.ts", content: answer.text })],
            notes: []
          }))
        )
    } satisfies Generator
  })
).pipe(
  Layer.provide(
    Layer.succeed(
      AIProvider,
      AIProvider.of({
        name: "streaming",
        model: "test",
        available: false,
        sendMessage: () =>
          Effect.gen(function* () {
            const listen = yield* TextListener
            yield* listen({ provider: "streaming", text: "export const " })
            yield* listen({ provider: "streaming", text: "a = 1\n" })
            return {
              text: "export const a = 1\n",
              finishReason: "stop" as const,
              inputTokens: 1,
              outputTokens: 2,
              costUsd: 0
            }
          }),
        usage: Effect.succeed(new TokenUsage({ input: 0, output: 0, calls: 0, costUsd: 0 }))
      })
    )
  )
)

/** The pipeline on a memory workspace, with the test's templates, generator and language. */
const pipeline = (
  initial: Record<string, string> = {},
  extra: {
    readonly testRunner?: Layer.Layer<TestRunner>
    readonly generator?: Layer.Layer<never, never, GeneratorRegistry>
  } = {}
) => {
  // One fake repository for the pipeline and for the test to inspect: a layer is built once.
  const git = FakeGit.layer
  return CodeGenerator.layerTest({
    templates: FileTemplateStore.layer({ builtinDir: fixtures }).pipe(Layer.provide(NunjucksEngine.layer)),
    git,
    // The no-op runner unless the test brings one: it compiles nothing and finds no tests.
    ...(extra.testRunner === undefined ? {} : { testRunner: extra.testRunner }),
    plugins: Layer.mergeAll(
      FakeLanguage.layer,
      TemplateGenerator.layer.pipe(Layer.provide(NunjucksEngine.layer)),
      extra.generator ?? Layer.empty
    )
  }).pipe(Layer.provideMerge(MemoryFiles.layer(initial)), Layer.provideMerge(git))
}

const request = (parameters: Record<string, unknown>, options: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(CodeGenerationRequest)({
    taskType: "implementation",
    language: "typescript",
    context: { issue: { number: 5, title: "Write the files" } },
    parameters,
    options
  })

const failureOf = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>) => {
  if (!Exit.isFailure(exit)) return undefined
  const reason = exit.cause.reasons[0]
  return reason?._tag === "Fail" ? reason.error._tag : reason?._tag
}

describe("CodeGenerator.generateCode", () => {
  it.effect("stages, formats, applies and commits exactly the generated files", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const repo = yield* FakeGitRepo
      const result = yield* generator.generateCode(
        request({ path: "src/a.ts", content: "export const a = 1   \n", second: "src/b.ts" })
      )
      expect(result.status).toBe("success")
      expect(result.files.map((f) => [f.path, f.action])).toEqual([
        ["src/a.ts", "create"],
        ["src/b.ts", "create"]
      ])
      expect(yield* memory.snapshot).toEqual({
        "README.md": "hello\n",
        "src/a.ts": "export const a = 1\n",
        "src/b.ts": "export const a = 1\n"
      })
      expect(result.commit?.branch).toBe("tamma/5-write-the-files")
      expect(repo.current).toBe("tamma/5-write-the-files")
      expect(repo.branches.get("tamma/5-write-the-files")?.[0]?.files).toEqual(["src/a.ts", "src/b.ts"])
      const steps = result.metadata.steps.map((s) => `${s.step}:${s.status}`)
      expect(steps).toEqual([
        "prepare-context:done",
        "check-workspace:done",
        "select-template:done",
        "generate:done",
        "format-and-validate:done",
        "compile:done",
        "test:skipped",
        "assess:done",
        "apply:done",
        "branch:done",
        "commit:done"
      ])
      expect(result.metadata.steps.every((s) => s.durationMs >= 0)).toBe(true)
      expect(result.metadata.template?.id).toBe("typescript/echo")
      expect(result.files[0]?.diff).toContain("+export const a = 1")
    }).pipe(Effect.provide(pipeline({ "README.md": "hello\n" })))
  )

  it.effect("publishes progress events in order", () =>
    Effect.gen(function* () {
      const progress = yield* Progress
      const events: Array<ProgressEvent> = []
      const stream = yield* progress.subscribe
      const generator = yield* CodeGenerator
      yield* generator.generateCode(request({ path: "x.ts", content: "x\n" }))
      yield* stream.pipe(
        Stream.takeUntil((e) => e._tag === "RunFinished"),
        Stream.runForEach((e) => Effect.sync(() => events.push(e)))
      )
      const tags = events.map((e) => e._tag)
      expect(tags[0]).toBe("RunStarted")
      expect(tags.at(-1)).toBe("RunFinished")
      expect(tags).toContain("FileStaged")
      expect(tags).toContain("Committed")
      expect(new Set(events.map((e) => e.runId)).size).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(pipeline()))
  )

  it.effect("publishes the model's text as it arrives, under the run's id", () =>
    Effect.gen(function* () {
      const progress = yield* Progress
      const stream = yield* progress.subscribe
      const generator = yield* CodeGenerator
      const result = yield* generator.generateCode(request({}))
      expect(result.files.map((f) => f.path)).toEqual(["src/streamed.ts"])
      const events = yield* stream.pipe(
        Stream.takeUntil((e) => e._tag === "RunFinished"),
        Stream.runCollect
      )
      const tokens = events.filter((e) => e._tag === "TokensReceived")
      expect(tokens.map((e) => [e.provider, e.text])).toEqual([
        ["streaming", "export const "],
        ["streaming", "a = 1\n"]
      ])
      expect(tokens.every((e) => e.runId === result.metadata.runId)).toBe(true)
    }).pipe(Effect.scoped, Effect.provide(pipeline({}, { generator: streamingGenerator })))
  )

  it.effect("a dry run writes nothing, commits nothing and still returns the diffs", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const repo = yield* FakeGitRepo
      const result = yield* generator.generateCode(
        request({ path: "README.md", content: "changed\n" }, { dryRun: true, force: true })
      )
      expect(result.status).toBe("success")
      expect(result.applied).toBe(false)
      expect(result.files[0]?.action).toBe("modify")
      expect(result.files[0]?.diff).toContain("-hello")
      expect(result.files[0]?.diff).toContain("+changed")
      expect(yield* memory.snapshot).toEqual({ "README.md": "hello\n" })
      expect([...repo.branches.keys()]).toEqual(["main"])
    }).pipe(Effect.provide(pipeline({ "README.md": "hello\n" })))
  )

  it.effect("a quality gate failure writes nothing and reports the finding", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const repo = yield* FakeGitRepo
      const result = yield* generator.generateCode(request({ path: "src/a.ts", content: "eval(input)\n" }))
      expect(result.status).toBe("failed")
      expect(result.errors[0]?.tag).toBe("QualityGateError")
      expect(result.errors[0]?.message).toContain("high security finding fake/no-eval")
      // What would have been written is reported, and is not written.
      expect(result.applied).toBe(false)
      expect(result.files.map((f) => [f.path, f.action, f.content])).toEqual([["src/a.ts", "create", "eval(input)\n"]])
      expect(yield* memory.snapshot).toEqual({})
      expect([...repo.branches.keys()]).toEqual(["main"])
    }).pipe(Effect.provide(pipeline()))
  )

  it.effect("code the formatter cannot parse is a syntax finding and fails the gate", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const result = yield* generator.generateCode(request({ path: "src/a.ts", content: "SYNTAX ERROR\n" }))
      expect(result.status).toBe("failed")
      expect(result.errors[0]?.message).toContain("syntax error")
    }).pipe(Effect.provide(pipeline()))
  )

  it.effect("a failed commit reverts the applied files and returns to the previous branch", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const repo = yield* FakeGitRepo
      repo.failNextCommit = true
      const result = yield* generator.generateCode(
        request({ path: "README.md", content: "new\n", second: "src/n.ts" }, { force: true })
      )
      expect(result.status).toBe("failed")
      expect(result.errors[0]?.tag).toBe("GitError")
      expect(yield* memory.snapshot).toEqual({ "README.md": "hello\n" })
      expect(repo.current).toBe("main")
      expect([...repo.branches.keys()]).toEqual(["main"])
    }).pipe(Effect.provide(pipeline({ "README.md": "hello\n" })))
  )

  it.effect("a write failing midway leaves the tree as it was", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      yield* memory.failOnWrite(2)
      const result = yield* generator.generateCode(request({ path: "a.ts", content: "a\n", second: "b.ts" }))
      expect(result.status).toBe("failed")
      expect(yield* memory.snapshot).toEqual({ "README.md": "hello\n" })
    }).pipe(Effect.provide(pipeline({ "README.md": "hello\n" })))
  )

  it.effect("bad input fails with its typed error and writes nothing", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const unknown = yield* Effect.exit(
        generator.generateCode(
          Schema.decodeUnknownSync(CodeGenerationRequest)({
            taskType: "implementation",
            language: "typescript",
            template: "typescript/missing",
            context: { issue: { title: "x" } }
          })
        )
      )
      expect(failureOf(unknown)).toBe("TemplateNotFoundError")
      const missingParameter = yield* Effect.exit(generator.generateCode(request({ path: "a.ts" })))
      expect(failureOf(missingParameter)).toBe("ParameterInvalidError")
      const unsafe = yield* Effect.exit(generator.generateCode(request({ path: "../escape.ts", content: "x" })))
      expect(failureOf(unsafe)).toBe("UnsafePathError")
      const secret = yield* Effect.exit(generator.generateCode(request({ path: ".env", content: "KEY=1" })))
      expect(failureOf(secret)).toBe("UnsafePathError")
      expect(yield* memory.snapshot).toEqual({})
    }).pipe(Effect.provide(pipeline()))
  )

  it.effect("a taken branch name gets a suffix", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const repo = yield* FakeGitRepo
      yield* generator.generateCode(request({ path: "a.ts", content: "a\n" }))
      repo.current = "main"
      const second = yield* generator.generateCode(request({ path: "b.ts", content: "b\n" }))
      expect(second.commit?.branch).toBe("tamma/5-write-the-files-2")
    }).pipe(Effect.provide(pipeline()))
  )

  const calls: Array<ReadonlyArray<string>> = []

  it.effect("runs the change's tests on the staged state and reports them", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const result = yield* generator.generateCode(
        request({ path: "src/a.ts", content: "a\n", second: "test/a.test.ts" })
      )
      expect(result.status).toBe("success")
      expect(result.tests?.passed).toBe(1)
      expect(calls.at(-1)).toEqual(["src/a.ts", "test/a.test.ts"])
    }).pipe(Effect.provide(pipeline({}, { testRunner: fakeTests("passed", calls) })))
  )

  it.effect("failing tests fail the run and nothing is written", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const result = yield* generator.generateCode(
        request({ path: "src/a.ts", content: "a\n", second: "test/a.test.ts" })
      )
      expect(result.status).toBe("failed")
      expect(result.errors[0]?.tag).toBe("TestsFailedError")
      expect(result.errors[0]?.message).toContain("breaks: expected 1 to be 2")
      expect(result.tests?.failed).toBe(1)
      expect(yield* memory.snapshot).toEqual({})
    }).pipe(Effect.provide(pipeline({}, { testRunner: fakeTests("failed", calls) })))
  )

  it.effect("a change without test files skips the test step", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const before = calls.length
      const result = yield* generator.generateCode(request({ path: "src/a.ts", content: "a\n" }))
      expect(result.metadata.steps.find((s) => s.step === "test")?.status).toBe("skipped")
      expect(calls.length).toBe(before)
    }).pipe(Effect.provide(pipeline({}, { testRunner: fakeTests("failed", calls) })))
  )

  /** Before the change (nothing staged) "keeps totals" passes; on the staged change it fails. */
  const regressing = Layer.succeed(
    TestRunner,
    TestRunner.of({
      run: () => Effect.die("the workspace itself is never tested in place"),
      checkStaged: passedCompile,
      runStaged: (options) =>
        Effect.succeed(
          reportFromCases({
            framework: "fake",
            durationMs: 1,
            command: "fake",
            output: "",
            cases: [
              options.changes.length === 0
                ? new TestCase({ name: "keeps totals", status: "passed" })
                : new TestCase({ name: "keeps totals", status: "failed", message: "expected 3 to be 4" }),
              new TestCase({ name: "flaky", status: "failed" })
            ]
          })
        )
    })
  )

  it.effect("a refactoring that breaks a test that passed before is refused and nothing is written", () =>
    Effect.gen(function* () {
      const generator = yield* CodeGenerator
      const memory = yield* MemoryWorkspace
      const refactor = new CodeGenerationRequest({
        ...request({ path: "src/total.ts", content: "export const total = 3\n" }, { force: true }),
        template: "typescript/echo"
      })
      const result = yield* generator.refactorCode(refactor)
      expect(result.status).toBe("failed")
      expect(result.errors[0]?.tag).toBe("TestsFailedError")
      expect(result.errors[0]?.message).toContain("keeps totals passed before the refactoring and now failed")
      expect(result.errors[0]?.message).not.toContain("flaky")
      expect(result.metadata.steps.map((s) => s.step)).toContain("test-before")
      expect(yield* memory.snapshot).toEqual({ "src/total.ts": "export const total = 4\n" })
    }).pipe(Effect.provide(pipeline({ "src/total.ts": "export const total = 4\n" }, { testRunner: regressing })))
  )
})
