/**
 * Cassettes: hand-written entries answer by the text of a request, in order; an exact recorded
 * key wins over them; a request the cassette does not hold fails loudly and is counted as a miss.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Ref } from "effect"
import { defaultConfig } from "../../../core/domain/Config.ts"
import { AIProvider, type SendMessageRequest } from "../../../core/services/AIProvider.ts"
import { keyOf } from "../../../plugins/ai/Transcript.ts"
import { taskModel } from "../../../plugins/eval/Cassette.ts"

const ask = (content: string, system = "You write code."): SendMessageRequest => ({
  messages: [
    { role: "system", content: system },
    { role: "user", content }
  ]
})

const cassette = (entries: ReadonlyArray<unknown>) =>
  Effect.promise(async () => {
    const dir = await fs.mkdtemp(nodePath.join(os.tmpdir(), "tamma-cassette-"))
    const file = nodePath.join(dir, "cassette.jsonl")
    await fs.writeFile(file, `${entries.map((entry) => JSON.stringify(entry)).join("\n")}\n`)
    return file
  })

const noLive = () => AIProvider.layerNone

const send = (request: SendMessageRequest) =>
  Effect.gen(function* () {
    const ai = yield* AIProvider
    return yield* ai.sendMessage(request)
  })

describe("a task's cassette in replay", () => {
  it.effect("answers hand-written entries by text, each once in order, then the last again", () =>
    Effect.gen(function* () {
      const file = yield* cassette([
        { when: "# Task:", response: { text: "first", finishReason: "stop" } },
        { when: "# Repair:", response: { text: "repair one" } },
        { when: "# Repair:", response: { text: "repair two", inputTokens: 7, outputTokens: 3 } },
        { when: "You review", response: { text: "review" } }
      ])
      const { layer, watch } = yield* taskModel(file, "replay", defaultConfig.provider, noLive)
      const answers = yield* Effect.gen(function* () {
        const ai = yield* AIProvider
        const texts: Array<string> = []
        for (const request of [
          ask("# Task: add clamp"),
          ask("# Repair: the test fails"),
          ask("# Repair: still failing"),
          ask("# Repair: once more"),
          ask("the diff", "You review a code change")
        ]) {
          texts.push((yield* ai.sendMessage(request)).text)
        }
        return { texts, usage: yield* ai.usage }
      }).pipe(Effect.provide(layer))
      expect(answers.texts).toEqual(["first", "repair one", "repair two", "repair two", "review"])
      expect(answers.usage.calls).toBe(5)
      // Counts given are kept; left out, they are estimated from the text (never zero).
      expect(answers.usage.output).toBeGreaterThan(3)
      expect(yield* Ref.get(watch.misses)).toEqual([])
    })
  )

  it.effect("prefers an exact recorded key over a hand-written entry", () =>
    Effect.gen(function* () {
      const request = ask("# Task: add clamp")
      const file = yield* cassette([
        { when: "# Task:", response: { text: "by text" } },
        {
          key: keyOf(request),
          provider: "openai",
          request,
          response: { text: "by key", inputTokens: 1, outputTokens: 1, costUsd: 0 }
        }
      ])
      const { layer } = yield* taskModel(file, "replay", defaultConfig.provider, noLive)
      const text = yield* send(request).pipe(
        Effect.map((answer) => answer.text),
        Effect.provide(layer)
      )
      expect(text).toBe("by key")
    })
  )

  it.effect("fails a request it does not hold, names it, and never asks a live model", () =>
    Effect.gen(function* () {
      const file = yield* cassette([{ when: "# Task:", response: { text: "first" } }])
      let liveCalls = 0
      const live = () =>
        AIProvider.layerScripted(["live answer"], {
          onRequest: () => {
            liveCalls += 1
          }
        })
      const { layer, watch } = yield* taskModel(file, "replay", defaultConfig.provider, live)
      const failure = yield* send(ask("# Repair: x")).pipe(Effect.flip, Effect.provide(layer))
      expect(failure.reason).toBe("unavailable")
      expect(failure.detail).toContain("the cassette holds no answer")
      expect(yield* Ref.get(watch.misses)).toEqual(["# Repair: x"])
      expect(liveCalls).toBe(0)
    })
  )

  it.effect("refuses a cassette line that does not decode, naming the line", () =>
    Effect.gen(function* () {
      const file = yield* cassette([{ when: "# Task:", response: { text: "ok" } }, { when: 3 }])
      const error = yield* Effect.flip(taskModel(file, "replay", defaultConfig.provider, noLive))
      expect(error._tag).toBe("ConfigInvalidError")
      expect(error.source).toBe(`${file}:2`)
    })
  )
})
