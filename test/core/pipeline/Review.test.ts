import * as fs from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { reviewChange, suggestionOf } from "../../../core/pipeline/Review.ts"
import { AIProvider, type SendMessageRequest } from "../../../core/services/AIProvider.ts"

const instructions = fs.readFileSync(new URL("../../../templates/prompts/review.md", import.meta.url), "utf8").trimEnd()

const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
  taskType: "implementation",
  language: "typescript",
  context: { issue: { title: "Add a parser" } },
  requirements: { security: ["never evaluate input"] }
})

/** Runs `f` with a scripted model, and hands it the prompts the model was sent. */
const withScript = <A, E>(
  answers: ReadonlyArray<string>,
  f: (ai: AIProvider["Service"], prompts: ReadonlyArray<SendMessageRequest>) => Effect.Effect<A, E>
) => {
  const prompts: Array<SendMessageRequest> = []
  return Effect.gen(function* () {
    return yield* f(yield* AIProvider, prompts)
  }).pipe(Effect.provide(AIProvider.layerScripted(answers, { onRequest: (r) => prompts.push(r) })))
}

describe("reviewChange", () => {
  it.effect("turns structured findings into suggestions", () =>
    withScript(
      [
        'Sure.\n```json\n{"findings": [{"severity": "warning", "file": "src/a.ts", "requirement": "never evaluate input", "message": "use JSON.parse"}]}\n```'
      ],
      (ai, prompts) =>
        Effect.gen(function* () {
          const review = yield* reviewChange(ai, request, [{ path: "src/a.ts", content: "eval(x)\n" }], instructions)
          expect(review.findings.map(suggestionOf)).toEqual([
            "review warning src/a.ts: use JSON.parse (requirement: never evaluate input)"
          ])
          expect(prompts[0]?.messages[1]?.content).toContain("security: never evaluate input")
          // The instructions are the system prompt, as given.
          expect(prompts[0]?.messages[0]?.content).toBe(instructions)
          expect(prompts[0]?.messages[0]?.content).toContain('Answer with JSON only: {"findings"')
        })
    )
  )

  it.effect("an answer that is not findings is a note, not a failure", () =>
    withScript(["Looks great to me!"], (ai) =>
      Effect.gen(function* () {
        const review = yield* reviewChange(ai, request, [{ path: "src/a.ts", content: "x\n" }], instructions)
        expect(review.findings).toEqual([])
        expect(review.note).toContain("did not decode")
      })
    )
  )
})
