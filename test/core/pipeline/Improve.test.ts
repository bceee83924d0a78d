import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { defaultConfig } from "../../../core/domain/Config.ts"
import { QualityIssue, QualityResult } from "../../../core/domain/Quality.ts"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { TokenUsage } from "../../../core/domain/Result.ts"
import { AIProviderError } from "../../../core/errors.ts"
import { type CheckedFile, improveQuality } from "../../../core/pipeline/Improve.ts"
import { reviewChange, suggestionOf } from "../../../core/pipeline/Review.ts"
import { AIProvider, type SendMessageRequest } from "../../../core/services/AIProvider.ts"

/** A provider that answers from a script, in order, and remembers the prompts. */
const scripted = (answers: ReadonlyArray<string | AIProviderError>) => {
  const prompts: Array<SendMessageRequest> = []
  let next = 0
  const service = AIProvider.of({
    name: "scripted",
    model: "test",
    available: true,
    sendMessage: (request) =>
      Effect.suspend(() => {
        prompts.push(request)
        const answer =
          answers[next++] ?? new AIProviderError({ provider: "scripted", reason: "unknown", detail: "script ended" })
        return typeof answer === "string"
          ? Effect.succeed({
              text: answer,
              finishReason: "stop" as const,
              inputTokens: 10,
              outputTokens: 5,
              costUsd: 0
            })
          : Effect.fail(answer)
      }),
    usage: Effect.succeed(new TokenUsage({ input: 0, output: 0, calls: 0, costUsd: 0 }))
  })
  return { service, prompts }
}

/** Each `eval(` costs a high security finding; each `TODO` a warning. */
const check = (file: { readonly path: string; readonly content: string }): CheckedFile => {
  const issues = file.content.split("\n").flatMap((line, index) => [
    ...(line.includes("eval(")
      ? [
          new QualityIssue({
            severity: "error",
            category: "security",
            rule: "no-eval",
            message: "eval",
            line: index + 1,
            column: 1,
            level: "high"
          })
        ]
      : []),
    ...(line.includes("TODO")
      ? [
          new QualityIssue({
            severity: "warning",
            category: "lint",
            rule: "no-todo",
            message: "todo",
            line: index + 1,
            column: 1
          })
        ]
      : [])
  ])
  const score = Math.max(0, (100 - issues.reduce((sum, i) => sum + (i.category === "security" ? 20 : 5), 0)) / 100)
  return {
    path: file.path,
    language: "ts",
    content: file.content,
    quality: new QualityResult({ score, issues, suggestions: [] })
  }
}

const recheck = (file: { readonly path: string; readonly content: string }) => Effect.succeed(check(file))
const gate = defaultConfig.quality

describe("improveQuality", () => {
  it.effect("fixes a failing file from a whole-file answer and stops at the gate", () =>
    Effect.gen(function* () {
      const ai = scripted(["Here it is:\n```ts src/a.ts\nexport const a = JSON.parse(x)\n```\n"])
      const out = yield* improveQuality({
        files: [check({ path: "src/a.ts", content: "export const a = eval(x)\n" })],
        gate,
        maxIterations: 3,
        ai: ai.service,
        recheck
      })
      expect(out.iterations).toBe(1)
      expect(out.files[0]?.content).toBe("export const a = JSON.parse(x)\n")
      expect(out.files[0]?.quality.score).toBe(1)
      expect(ai.prompts[0]?.messages[1]?.content).toContain("no-eval")
    })
  )

  it.effect("keeps the best version, not the last, and stops when the score stops improving", () =>
    Effect.gen(function* () {
      const ai = scripted([
        "```ts src/a.ts\nexport const a = eval(x) // TODO\nexport const b = 1\n```",
        "```ts src/a.ts\nexport const a = eval(x) // TODO\n// TODO\n// TODO\n```"
      ])
      const start = check({ path: "src/a.ts", content: "export const a = eval(x) // TODO\n// TODO\n" })
      const out = yield* improveQuality({ files: [start], gate, maxIterations: 5, ai: ai.service, recheck })
      expect(out.iterations).toBe(2)
      expect(out.files[0]?.content).toBe("export const a = eval(x) // TODO\nexport const b = 1\n")
      expect(out.notes.join()).toContain("stopped improving")
    })
  )

  it.effect("applies SEARCH/REPLACE answers", () =>
    Effect.gen(function* () {
      const ai = scripted([
        "src/a.ts\n<<<<<<< SEARCH\nexport const a = eval(x)\n=======\nexport const a = Number(x)\n>>>>>>> REPLACE\n"
      ])
      const out = yield* improveQuality({
        files: [check({ path: "src/a.ts", content: "// numbers\nexport const a = eval(x)\n" })],
        gate,
        maxIterations: 3,
        ai: ai.service,
        recheck
      })
      expect(out.files[0]?.content).toBe("// numbers\nexport const a = Number(x)\n")
    })
  )

  it.effect("stops after the iteration limit", () =>
    Effect.gen(function* () {
      const ai = scripted([
        "```ts src/a.ts\nexport const a = eval(x) // TODO\n```",
        "```ts src/a.ts\nexport const a = eval(x)\n```",
        "```ts src/a.ts\nexport const a = 1\n```"
      ])
      const start = check({ path: "src/a.ts", content: "export const a = eval(x) // TODO\n// TODO\n" })
      const out = yield* improveQuality({ files: [start], gate, maxIterations: 2, ai: ai.service, recheck })
      expect(out.iterations).toBe(2)
      expect(ai.prompts).toHaveLength(2)
      expect(out.files[0]?.content).toBe("export const a = eval(x)\n")
    })
  )

  it.effect("a provider failure ends the loop and keeps what it has", () =>
    Effect.gen(function* () {
      const ai = scripted([new AIProviderError({ provider: "scripted", reason: "rate-limit", detail: "429" })])
      const start = check({ path: "src/a.ts", content: "export const a = eval(x)\n" })
      const out = yield* improveQuality({ files: [start], gate, maxIterations: 3, ai: ai.service, recheck })
      expect(out.files[0]).toBe(start)
      expect(out.notes[0]).toContain("rate-limit")
    })
  )

  it.effect("asks nothing when every file passes the gate", () =>
    Effect.gen(function* () {
      const ai = scripted([])
      const out = yield* improveQuality({
        files: [check({ path: "src/a.ts", content: "export const a = 1\n" })],
        gate,
        maxIterations: 3,
        ai: ai.service,
        recheck
      })
      expect(out.iterations).toBe(0)
      expect(ai.prompts).toHaveLength(0)
    })
  )
})

describe("reviewChange", () => {
  const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
    taskType: "implementation",
    language: "typescript",
    context: { issue: { title: "Add a parser" } },
    requirements: { security: ["never evaluate input"] }
  })

  it.effect("turns structured findings into suggestions", () =>
    Effect.gen(function* () {
      const ai = scripted([
        'Sure.\n```json\n{"findings": [{"severity": "warning", "file": "src/a.ts", "requirement": "never evaluate input", "message": "use JSON.parse"}]}\n```'
      ])
      const review = yield* reviewChange(ai.service, request, [{ path: "src/a.ts", content: "eval(x)\n" }])
      expect(review.findings.map(suggestionOf)).toEqual([
        "review warning src/a.ts: use JSON.parse (requirement: never evaluate input)"
      ])
      expect(ai.prompts[0]?.messages[1]?.content).toContain("security: never evaluate input")
    })
  )

  it.effect("an answer that is not findings is a note, not a failure", () =>
    Effect.gen(function* () {
      const ai = scripted(["Looks great to me!"])
      const review = yield* reviewChange(ai.service, request, [{ path: "src/a.ts", content: "x\n" }])
      expect(review.findings).toEqual([])
      expect(review.note).toContain("did not decode")
    })
  )
})
