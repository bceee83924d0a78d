import * as fs from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { CodeGenerationRequest } from "../../../../core/domain/Request.ts"
import { TokenUsage } from "../../../../core/domain/Result.ts"
import { RenderedFile, Template } from "../../../../core/domain/Template.ts"
import { AIProviderError } from "../../../../core/errors.ts"
import { AIProvider, type FinishReason, type SendMessageRequest } from "../../../../core/services/AIProvider.ts"
import { GeneratorRegistry } from "../../../../core/services/GeneratorRegistry.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { TemplateEngine } from "../../../../core/services/TemplateEngine.ts"
import { AIGenerator, type AIGeneratorOptions } from "../../../../plugins/generators/ai/AIGenerator.ts"
import { TypeScript } from "../../../../plugins/languages/typescript/TypeScript.ts"

/** Tells the generator which files are tests (asked after their sources). */
const languages = TypeScript.layer.pipe(Layer.provideMerge(LanguageRegistry.layer))

const template = Schema.decodeUnknownSync(Template)({
  manifest: {
    id: "typescript/module",
    name: "Module",
    language: "typescript",
    category: "implementation",
    version: "1.0.0",
    metadata: { prompt: "Export one function per file." }
  },
  files: [],
  source: "builtin",
  hash: "h"
})

const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
  taskType: "implementation",
  language: "typescript",
  context: {
    issue: { title: "Add a sum function", acceptanceCriteria: ["sum([]) is 0"] },
    analysis: { summary: "Needs a pure helper", affectedFiles: ["src/index.ts"], keywords: ["sum"] },
    existingCode: [
      { path: "src/index.ts", content: 'export * from "./other.ts"\n' },
      { path: "src/unrelated.ts", content: "x".repeat(400_000) }
    ],
    conventions: { indent: "spaces", indentSize: 2, semicolons: false, notes: ["no default exports"] },
    previousAttempts: [{ summary: "first try", failures: ["test sum([]) failed"] }]
  },
  requirements: { functionality: ["sum of numbers"] }
})

const skeleton = [
  new RenderedFile({ path: "src/sum.ts", content: "export const sum = (xs: ReadonlyArray<number>): number => 0\n" }),
  new RenderedFile({ path: "src/index.ts", content: 'export * from "./sum.ts"\n' })
]

const engineFor = (files: ReadonlyArray<RenderedFile>) =>
  Layer.succeed(
    TemplateEngine,
    TemplateEngine.of({
      render: () => Effect.succeed(files),
      validate: () => Effect.succeed([]),
      compile: () => Effect.void,
      prepareContext: (context) => context,
      validateContext: (context) => Effect.succeed(context)
    })
  )
const engine = engineFor(skeleton)

/** A scripted answer: its text, and `length` when the model hit its token limit. */
type Answer = string | { readonly text: string; readonly finishReason: FinishReason }

/** An AIProvider that answers from a script and records what it was asked. */
const scripted = (answers: ReadonlyArray<Answer>, seen: Array<SendMessageRequest>) =>
  Layer.succeed(
    AIProvider,
    AIProvider.of({
      name: "scripted",
      model: "test",
      available: true,
      sendMessage: (req) =>
        Effect.suspend(() => {
          seen.push(req)
          const answer = answers[seen.length - 1]
          if (answer === undefined) {
            return Effect.fail(
              new AIProviderError({ provider: "scripted", reason: "unavailable", detail: "script ended" })
            )
          }
          const { text, finishReason } =
            typeof answer === "string" ? { text: answer, finishReason: "stop" as const } : answer
          return Effect.succeed({ text, finishReason, inputTokens: 1, outputTokens: 1, costUsd: 0 })
        }),
      usage: Effect.succeed(new TokenUsage({ input: 0, output: 0, calls: 0, costUsd: 0 }))
    })
  )

const workspace: Record<string, string> = { "src/index.ts": 'export * from "./other.ts"\n' }

const generateWith = <E, R>(ai: Layer.Layer<AIProvider, E, R>, options: AIGeneratorOptions, files = engine) =>
  Effect.gen(function* () {
    const registry = yield* GeneratorRegistry
    const generator = yield* registry.resolve(request)
    expect(generator.name).toBe("ai")
    return yield* generator.generate({
      runId: "r1",
      request,
      template,
      context: {},
      read: (path) => Effect.succeed(workspace[path])
    })
  }).pipe(
    Effect.provide(
      AIGenerator.layer(options).pipe(
        Layer.provideMerge(GeneratorRegistry.layer),
        Layer.provide([files, ai, languages])
      )
    )
  )

/** One call for the whole change. */
const run = (answers: ReadonlyArray<Answer>) =>
  Effect.gen(function* () {
    const seen: Array<SendMessageRequest> = []
    const output = yield* generateWith(scripted(answers, seen), { split: "whole" })
    return { output, seen }
  })

const newFile =
  "### src/sum.ts\n```ts\nexport const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)\n```\n"
const edit =
  'src/index.ts\n```ts\n<<<<<<< SEARCH\nexport * from "./other.ts"\n=======\nexport * from "./other.ts"\nexport * from "./sum.ts"\n>>>>>>> REPLACE\n```\n'

describe("AIGenerator", () => {
  it.effect("writes new files and applies edits to existing ones, from a prompt built from the request", () =>
    Effect.gen(function* () {
      const { output, seen } = yield* run([`Here you go.\n\n${newFile}\n${edit}`])
      expect(output.files.map((f) => [f.path, f.content])).toEqual([
        ["src/sum.ts", "export const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)\n"],
        ["src/index.ts", 'export * from "./other.ts"\nexport * from "./sum.ts"\n']
      ])
      const [first] = seen
      const user = first?.messages[1]?.content ?? ""
      expect(first?.messages[0]?.role).toBe("system")
      expect(user).toContain("Add a sum function")
      expect(user).toContain("sum([]) is 0")
      expect(user).toContain("Export one function per file.")
      expect(user).toContain("test sum([]) failed")
      expect(user).toContain("no default exports")
      expect(user).toContain("SEARCH/REPLACE")
      // The huge unrelated file does not fit the budget.
      expect(user).not.toContain("xxxxxxxx")
      expect(output.notes.join("\n")).toContain("src/unrelated.ts")
    })
  )

  it.effect("continues a truncated answer once", () =>
    Effect.gen(function* () {
      const { output, seen } = yield* run([
        "### src/sum.ts\n```ts\nexport const sum = (xs: ReadonlyArray<number>): number =>",
        " xs.reduce((a, b) => a + b, 0)\n```\n"
      ])
      expect(seen).toHaveLength(2)
      expect(seen[1]?.messages.at(-1)?.content).toContain("cut off")
      expect(output.files[0]?.content).toBe(
        "export const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)\n"
      )
    })
  )

  it.effect("reports an edit that does not apply as a failure with the closest region, and asks nothing more", () =>
    Effect.gen(function* () {
      const wrong =
        'src/index.ts\n<<<<<<< SEARCH\nexport * from "./others.ts" // all\n=======\nexport * from "./sum.ts"\n>>>>>>> REPLACE\n'
      const { output, seen } = yield* run([`${newFile}\n${wrong}`])
      expect(seen).toHaveLength(1)
      expect(output.failures?.map((f) => f.path)).toEqual(["src/index.ts"])
      expect(output.failures?.[0]?.closest).toContain('export * from "./other.ts"')
      // The file the failed edit was for is not changed at all.
      expect(output.files.map((f) => f.path)).toEqual(["src/sum.ts"])
    })
  )

  it.effect(
    "a repair round sends the files and every failure in one message; unnamed blocks go to the file it is about",
    () =>
      Effect.gen(function* () {
        const seen: Array<SendMessageRequest> = []
        const answer = "<<<<<<< SEARCH\n  return 0\n=======\n  return xs.length\n>>>>>>> REPLACE\n"
        const output = yield* Effect.gen(function* () {
          const registry = yield* GeneratorRegistry
          const generator = yield* registry.resolve(request)
          const repair = generator.repair
          if (repair === undefined) return yield* Effect.die("the AI generator repairs")
          return yield* repair({
            runId: "r1",
            request,
            files: [
              { path: "src/count.ts", content: "export const count = (xs: Array<number>) => {\n  return 0\n}\n" },
              { path: "src/index.ts", content: 'export * from "./count.ts"\n' }
            ],
            failures: [
              "test: count > counts (test/count.test.ts:3): expected 0 to be 2",
              "compile: src/count.ts:2:3 oops"
            ],
            read: () => Effect.succeed(undefined)
          })
        }).pipe(
          Effect.provide(
            AIGenerator.layer().pipe(
              Layer.provideMerge(GeneratorRegistry.layer),
              Layer.provide([engine, scripted([answer], seen), languages])
            )
          )
        )
        expect(seen).toHaveLength(1)
        // The instructions are the repair prompt's, as written in templates/prompts/repair.md.
        const repairPrompt = new URL("../../../../templates/prompts/repair.md", import.meta.url)
        expect(seen[0]?.messages[0]).toEqual({
          role: "system",
          content: fs.readFileSync(repairPrompt, "utf8").trimEnd()
        })
        const user = seen[0]?.messages.at(-1)?.content ?? ""
        expect(user).toContain("Add a sum function")
        expect(user).toContain("sum([]) is 0")
        expect(user).toContain("expected 0 to be 2")
        expect(user).toContain("src/count.ts:2:3 oops")
        expect(user).toContain("export const count")
        expect(output.failures).toEqual([])
        expect(output.files.map((f) => [f.path, f.content])).toEqual([
          ["src/count.ts", "export const count = (xs: Array<number>) => {\n  return xs.length\n}\n"]
        ])
      })
  )

  it.effect("is not chosen without a model", () =>
    Effect.gen(function* () {
      const registry = yield* GeneratorRegistry
      const generators = yield* registry.list
      expect(generators.find((g) => g.name === "ai")?.supports(request)).toBe(false)
    }).pipe(
      Effect.provide(
        AIGenerator.layer().pipe(
          Layer.provideMerge(GeneratorRegistry.layer),
          Layer.provide([engine, AIProvider.layerNone, languages])
        )
      )
    )
  )
  it.effect("continues an answer that stopped at the token limit even when its fences are closed", () =>
    Effect.gen(function* () {
      const { output, seen } = yield* run([{ text: newFile, finishReason: "length" }, `\n${edit}`])
      expect(seen).toHaveLength(2)
      expect(seen[1]?.messages.at(-1)?.content).toContain("cut off")
      expect(output.files.map((f) => f.path)).toEqual(["src/sum.ts", "src/index.ts"])
    })
  )

  describe("file by file", () => {
    const testFile = new RenderedFile({ path: "test/sum.test.ts", content: 'import { sum } from "../src/sum.ts"\n' })
    const focusOf = (request: SendMessageRequest) =>
      /Answer with (\S+) only/.exec(request.messages.at(-1)?.content ?? "")?.[1]

    /** Answers each call with the file it asks for, after `delayMs`, counting the calls in flight. */
    const byFocus = (answers: Readonly<Record<string, string>>, seen: Array<SendMessageRequest>, delayMs = 0) => {
      const flight = { now: 0, max: 0 }
      const layer = Layer.succeed(
        AIProvider,
        AIProvider.of({
          name: "by-focus",
          model: "test",
          available: true,
          sendMessage: (req) =>
            Effect.gen(function* () {
              seen.push(req)
              flight.now++
              flight.max = Math.max(flight.max, flight.now)
              yield* Effect.sleep(delayMs)
              flight.now--
              const text = answers[focusOf(req) ?? ""] ?? "no focus"
              return { text, finishReason: "stop" as const, inputTokens: 1, outputTokens: 1, costUsd: 0 }
            }),
          usage: Effect.succeed(new TokenUsage({ input: 0, output: 0, calls: 0, costUsd: 0 }))
        })
      )
      return { layer, flight }
    }

    it.effect("asks for each file in its own call, the tests after the sources they see", () =>
      Effect.gen(function* () {
        const seen: Array<SendMessageRequest> = []
        const test = "### test/sum.test.ts\n```ts\nexpect(sum([])).toBe(0)\n```\n"
        // The answer for sum.ts also writes the test: that file has its own call, so it is ignored.
        const { layer } = byFocus(
          {
            "src/sum.ts": `${newFile}\n### test/sum.test.ts\n\`\`\`ts\nwrong\n\`\`\`\n`,
            "src/index.ts": edit,
            "test/sum.test.ts": test
          },
          seen
        )
        const output = yield* generateWith(layer, {}, engineFor([...skeleton, testFile]))
        expect(seen.map(focusOf)).toEqual(["src/sum.ts", "src/index.ts", "test/sum.test.ts"])
        expect(output.files.map((f) => [f.path, f.content])).toEqual([
          ["src/sum.ts", "export const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)\n"],
          ["src/index.ts", 'export * from "./other.ts"\nexport * from "./sum.ts"\n'],
          ["test/sum.test.ts", "expect(sum([])).toBe(0)\n"]
        ])
        expect(output.notes.join("\n")).toContain("ignored test/sum.test.ts from the answer for src/sum.ts")
        // The existing file is edited only in its own call; the others read it.
        const [sumCall, indexCall, testCall] = seen.map((req) => req.messages.at(-1)?.content ?? "")
        expect(sumCall).not.toContain("answer with SEARCH/REPLACE blocks")
        expect(indexCall).toContain("answer with SEARCH/REPLACE blocks")
        expect(testCall).toContain("Written earlier in this change")
        expect(testCall).toContain("xs.reduce((a, b) => a + b, 0)")
        expect(sumCall).not.toContain("Written earlier in this change")
      })
    )

    it.live("keeps at most `concurrency` calls in flight", () =>
      Effect.gen(function* () {
        const files = Array.from(
          { length: 8 },
          (_, i) => new RenderedFile({ path: `src/part${i}.ts`, content: `export const part${i} = 0\n` })
        )
        const answers = Object.fromEntries(
          files.map((file, i) => [file.path, `### ${file.path}\n\`\`\`ts\nexport const part${i} = ${i}\n\`\`\`\n`])
        )
        const seen: Array<SendMessageRequest> = []
        const { layer, flight } = byFocus(answers, seen, 30)
        const output = yield* generateWith(layer, { concurrency: 3 }, engineFor(files))
        expect(seen).toHaveLength(8)
        expect(flight.max).toBe(3)
        expect(output.files.map((f) => f.content)).toEqual(files.map((_, i) => `export const part${i} = ${i}\n`))
      })
    )
  })
})
