import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { CodeGenerationRequest } from "../../../../core/domain/Request.ts"
import { TokenUsage } from "../../../../core/domain/Result.ts"
import { RenderedFile, Template } from "../../../../core/domain/Template.ts"
import { AIProviderError } from "../../../../core/errors.ts"
import { AIProvider, type SendMessageRequest } from "../../../../core/services/AIProvider.ts"
import { GeneratorRegistry } from "../../../../core/services/GeneratorRegistry.ts"
import { TemplateEngine } from "../../../../core/services/TemplateEngine.ts"
import { AIGenerator } from "../../../../plugins/generators/ai/AIGenerator.ts"

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

const engine = Layer.succeed(
  TemplateEngine,
  TemplateEngine.of({
    render: () => Effect.succeed(skeleton),
    validate: () => Effect.succeed([]),
    compile: () => Effect.void,
    prepareContext: (context) => context,
    validateContext: (context) => Effect.succeed(context)
  })
)

/** An AIProvider that answers from a script and records what it was asked. */
const scripted = (answers: ReadonlyArray<string>, seen: Array<SendMessageRequest>) =>
  Layer.succeed(
    AIProvider,
    AIProvider.of({
      name: "scripted",
      model: "test",
      available: true,
      sendMessage: (req) =>
        Effect.suspend(() => {
          seen.push(req)
          const text = answers[seen.length - 1]
          return text === undefined
            ? Effect.fail(new AIProviderError({ provider: "scripted", reason: "unavailable", detail: "script ended" }))
            : Effect.succeed({ text, inputTokens: 1, outputTokens: 1, costUsd: 0 })
        }),
      usage: Effect.succeed(new TokenUsage({ input: 0, output: 0, calls: 0, costUsd: 0 }))
    })
  )

const workspace: Record<string, string> = { "src/index.ts": 'export * from "./other.ts"\n' }

const run = (answers: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const seen: Array<SendMessageRequest> = []
    const output = yield* Effect.gen(function* () {
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
        AIGenerator.layer().pipe(
          Layer.provideMerge(GeneratorRegistry.layer),
          Layer.provide([engine, scripted(answers, seen)])
        )
      )
    )
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

  it.effect("sends a failed edit back once with the closest region", () =>
    Effect.gen(function* () {
      const wrong =
        'src/index.ts\n<<<<<<< SEARCH\nexport * from "./others.ts" // all\n=======\nexport * from "./sum.ts"\n>>>>>>> REPLACE\n'
      const { output, seen } = yield* run([`${newFile}\n${wrong}`, edit])
      expect(seen).toHaveLength(2)
      expect(seen[1]?.messages.at(-1)?.content).toContain('export * from "./other.ts"')
      expect(output.files.find((f) => f.path === "src/index.ts")?.content).toBe(
        'export * from "./other.ts"\nexport * from "./sum.ts"\n'
      )
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
          Layer.provide([engine, AIProvider.layerNone])
        )
      )
    )
  )
})
