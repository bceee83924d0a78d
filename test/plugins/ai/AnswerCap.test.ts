import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { decodeConfig } from "../../../core/domain/Config.ts"
import { AIProviderError } from "../../../core/errors.ts"
import { AIProvider, type SendMessageRequest } from "../../../core/services/AIProvider.ts"
import * as AIProviderLive from "../../../plugins/ai/AIProviderLive.ts"
import * as Anthropic from "../../../plugins/ai/anthropic/Anthropic.ts"
import * as OpenAi from "../../../plugins/ai/openai/OpenAi.ts"
import { aiLayer } from "../../../presets/NodePipeline.ts"
import { type EndlessReply, endlessServer } from "./EndlessServer.ts"
import { fakeServer, sse } from "./FakeServer.ts"
import { anthropicMessage, anthropicSse, openAiCompletion, openAiSse } from "./Wire.ts"

const key = Redacted.make("sk-test-key")
const request: SendMessageRequest = { messages: [{ role: "user", content: "Write a sum function." }] }
const cap = 256 * 1024
// Retries would show as more than one request: the cap must not be retried.
const retry = { maxRetries: 3, baseDelay: "10 millis", maxDelay: "50 millis", maxRetryAfter: "1 second" } as const

type Protocol = "openai" | "anthropic"

const modelFor = (protocol: Protocol, baseUrl: string) =>
  protocol === "openai"
    ? OpenAi.model("gpt-4.1", { apiKey: key, baseUrl })
    : Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl })

const provider = (protocol: Protocol, baseUrl: string, stream: boolean, maxAnswerBytes = cap) =>
  Effect.service(AIProvider).pipe(
    Effect.provide(
      AIProviderLive.layer({
        models: [modelFor(protocol, baseUrl)],
        stream,
        retry,
        timeout: "30 seconds",
        maxAnswerBytes
      }).pipe(Layer.provide(FetchHttpClient.layer))
    )
  )

/** The call's typed failure, how long it took, and the highest RSS growth seen meanwhile. */
const measuredFailure = (call: Effect.Effect<unknown, AIProviderError>) =>
  Effect.gen(function* () {
    const baseline = process.memoryUsage.rss()
    let peak = baseline
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss())
    }, 10)
    const started = Date.now()
    const exit = yield* Effect.exit(call).pipe(Effect.ensuring(Effect.sync(() => clearInterval(sampler))))
    const ms = Date.now() - started
    if (Exit.isSuccess(exit)) return expect.fail("expected the call to fail")
    const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
    if (failure === undefined || failure._tag !== "Fail") return expect.fail("expected a typed failure")
    return { error: failure.error, ms, growth: peak - baseline }
  })

const openAiChunk = (text: string) => sse({ id: "c", model: "gpt-4.1", choices: [{ delta: { content: text } }] })
const anthropicDelta = (text: string) =>
  sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }, "content_block_delta")
const anthropicHead =
  sse({ type: "message_start", message: { id: "m", model: "claude", usage: { input_tokens: 3 } } }, "message_start") +
  sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start")

const piece = "export const x = 1\n".repeat(400)

const endless: Record<string, { readonly protocol: Protocol; readonly stream: boolean; readonly reply: EndlessReply }> =
  {
    "OpenAI SSE, delta after delta": {
      protocol: "openai",
      stream: true,
      reply: { contentType: "text/event-stream", head: "", piece: openAiChunk(piece) }
    },
    "Anthropic SSE, delta after delta": {
      protocol: "anthropic",
      stream: true,
      reply: { contentType: "text/event-stream", head: anthropicHead, piece: anthropicDelta(piece) }
    },
    "OpenAI SSE, one line that never ends": {
      protocol: "openai",
      stream: true,
      reply: {
        contentType: "text/event-stream",
        head: 'data: {"choices":[{"delta":{"content":"',
        piece: "a".repeat(8192)
      }
    },
    "OpenAI JSON, a body that never ends": {
      protocol: "openai",
      stream: false,
      reply: { contentType: "application/json", head: '{"choices":[{"message":{"content":"', piece: "a".repeat(8192) }
    },
    "Anthropic JSON, a body that never ends": {
      protocol: "anthropic",
      stream: false,
      reply: {
        contentType: "application/json",
        head: '{"type":"message","content":[{"type":"text","text":"',
        piece: "a".repeat(8192)
      }
    },
    "Anthropic JSON, a body that declares 1 GB": {
      protocol: "anthropic",
      stream: false,
      reply: {
        contentType: "application/json",
        head: '{"type":"message","content":[{"type":"text","text":"',
        piece: "a".repeat(8192),
        declaredLength: 1_000_000_000
      }
    }
  }

describe("the answer cap", () => {
  for (const [name, { protocol, stream, reply }] of Object.entries(endless)) {
    it.live(`${name}: fails at once with answer-too-large, unretried, and drops the connection`, () =>
      Effect.gen(function* () {
        const server = yield* endlessServer(reply)
        const ai = yield* provider(protocol, server.baseUrl, stream)
        const { error, ms, growth } = yield* measuredFailure(ai.sendMessage(request))
        const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
        console.log(
          `${name}: failed in ${ms} ms, server wrote ${mib(server.stats.bytesWritten)} MiB, RSS +${mib(growth)} MiB`
        )
        expect(error).toBeInstanceOf(AIProviderError)
        expect(error.reason).toBe("answer-too-large")
        expect(server.stats.requests).toBe(1)
        expect(ms).toBeLessThan(5_000)
        // Reading stopped near the cap: what the server wrote is what sat in socket buffers, not the body.
        expect(server.stats.bytesWritten).toBeLessThan(32 * 1024 * 1024)
        expect(growth).toBeLessThan(128 * 1024 * 1024)
        // The client hung up rather than leaving the server writing into a connection no one reads.
        yield* Effect.sleep("200 millis")
        expect(server.stats.closedAt).toBeDefined()
        const written = server.stats.bytesWritten
        yield* Effect.sleep("200 millis")
        expect(server.stats.bytesWritten).toBe(written)
      })
    )
  }

  const exactly = `${"a".repeat(cap - 2)}é`
  const over = `${exactly}b`

  it.live("holds a whole JSON answer to the exact limit, in UTF-8 bytes", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([{ json: openAiCompletion(exactly) }, { json: anthropicMessage(over) }])
      const openai = yield* provider("openai", server.baseUrl, false)
      expect((yield* openai.sendMessage(request)).text).toBe(exactly)
      const anthropic = yield* provider("anthropic", server.baseUrl, false)
      const { error } = yield* measuredFailure(anthropic.sendMessage(request))
      expect(error.reason).toBe("answer-too-large")
      expect(error.detail).toContain(`${cap + 1} bytes`)
      expect(server.requests).toHaveLength(2)
    })
  )

  it.live("takes a whole answer at the limit even when the server escapes everything but ASCII", () =>
    Effect.gen(function* () {
      // Each emoji is four bytes of text and twelve on the wire (`\ud83d\ude00`): three times the limit.
      const emoji = "😀".repeat(cap / 4)
      const body = JSON.stringify(openAiCompletion(emoji)).replaceAll("😀", "\\ud83d\\ude00")
      expect(body.length).toBeGreaterThan(3 * cap)
      const server = yield* fakeServer([{ body }])
      const ai = yield* provider("openai", server.baseUrl, false)
      expect((yield* ai.sendMessage(request)).text).toBe(emoji)
    })
  )

  it.live("holds a streamed answer to the exact limit, in UTF-8 bytes", () =>
    Effect.gen(function* () {
      const half = exactly.slice(0, cap / 2)
      const server = yield* fakeServer([
        { sse: anthropicSse([half, exactly.slice(cap / 2)]) },
        { sse: openAiSse([half, over.slice(cap / 2)]) }
      ])
      const anthropic = yield* provider("anthropic", server.baseUrl, true)
      expect((yield* anthropic.sendMessage(request)).text).toBe(exactly)
      const openai = yield* provider("openai", server.baseUrl, true)
      const { error } = yield* measuredFailure(openai.sendMessage(request))
      expect(error.reason).toBe("answer-too-large")
      expect(server.requests).toHaveLength(2)
    })
  )

  it.live("uses 4 MiB when no limit is given", () =>
    Effect.gen(function* () {
      const server = yield* endlessServer({ contentType: "text/event-stream", head: "", piece: openAiChunk(piece) })
      const ai = yield* Effect.service(AIProvider).pipe(
        Effect.provide(
          AIProviderLive.layer({ models: [modelFor("openai", server.baseUrl)], stream: true, retry }).pipe(
            Layer.provide(FetchHttpClient.layer)
          )
        )
      )
      const { error } = yield* measuredFailure(ai.sendMessage(request))
      expect(error.reason).toBe("answer-too-large")
      expect(error.detail).toContain(`limit of ${4 * 1024 * 1024} bytes`)
    })
  )

  it.live("takes the limit from the config's provider.maxAnswerBytes", () =>
    Effect.gen(function* () {
      const server = yield* endlessServer({ contentType: "text/event-stream", head: "", piece: openAiChunk(piece) })
      const config = yield* decodeConfig({
        provider: { name: "openai-compatible", model: "local", baseUrl: server.baseUrl, maxAnswerBytes: 10_000 }
      })
      expect(config.provider.maxAnswerBytes).toBe(10_000)
      const ai = yield* Effect.service(AIProvider).pipe(Effect.provide(aiLayer(config.provider)))
      const { error } = yield* measuredFailure(ai.sendMessage(request))
      expect(error.reason).toBe("answer-too-large")
      expect(error.detail).toContain("limit of 10000 bytes")
      expect(server.stats.requests).toBe(1)
    })
  )

  it.live("reads only the start of an endless error body, and still retries the error", () =>
    Effect.gen(function* () {
      const server = yield* endlessServer({
        status: 503,
        contentType: "application/json",
        head: '{"error":{"message":"',
        piece: "busy ".repeat(2000)
      })
      const ai = yield* provider("openai", server.baseUrl, false)
      const { error, ms } = yield* measuredFailure(ai.sendMessage(request))
      expect(error.reason).toBe("overloaded")
      // One attempt and three retries, each reading 64 KiB of the body and dropping the rest.
      expect(server.stats.requests).toBe(4)
      expect(ms).toBeLessThan(10_000)
      expect(server.stats.bytesWritten).toBeLessThan(64 * 1024 * 1024)
    })
  )
})
