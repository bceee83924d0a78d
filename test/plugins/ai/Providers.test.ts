import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Exit, Redacted, Stream } from "effect"
import type { AiError, LanguageModel, Response } from "effect/ai"
import { FetchHttpClient } from "effect/http"
import * as Anthropic from "../../../plugins/ai/anthropic/Anthropic.ts"
import { GenerationSettings } from "../../../plugins/ai/GenerationSettings.ts"
import * as OpenAi from "../../../plugins/ai/openai/OpenAi.ts"
import * as OpenAiCompatible from "../../../plugins/ai/openai-compatible/OpenAiCompatible.ts"
import { fakeServer, type Reply } from "./FakeServer.ts"
import { anthropicError, anthropicMessage, anthropicSse, openAiCompletion, openAiError, openAiSse } from "./Wire.ts"

const key = Redacted.make("sk-test-secret-key")
const prompt = [
  { role: "system" as const, content: "You write TypeScript." },
  { role: "user" as const, content: "Write add." }
]

type Build = (baseUrl: string) => Effect.Effect<LanguageModel.LanguageModel, never, never>

const anthropic: Build = (baseUrl) =>
  Anthropic.make("claude-sonnet-4-5", { apiKey: key, baseUrl }).pipe(Effect.provide(FetchHttpClient.layer))
const openai: Build = (baseUrl) =>
  OpenAi.make("gpt-4.1", { apiKey: key, baseUrl }).pipe(Effect.provide(FetchHttpClient.layer))
const compatible: Build = (baseUrl) =>
  OpenAiCompatible.make("qwen2.5-coder", { baseUrl }).pipe(Effect.provide(FetchHttpClient.layer))

const withServer = (replies: ReadonlyArray<Reply>, build: Build) =>
  Effect.gen(function* () {
    const server = yield* fakeServer(replies)
    const model = yield* build(server.baseUrl)
    return { server, model }
  })

const streamed = (model: LanguageModel.LanguageModel) =>
  model.streamText({ prompt }).pipe(
    Stream.runCollect,
    Effect.map((parts) => ({
      text: parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join(""),
      finish: parts.find((p): p is Response.FinishPart => p.type === "finish")
    }))
  )

const metadataOf = (error: AiError.AiError) => ("metadata" in error.reason ? error.reason.metadata : undefined)

const failure = <A>(effect: Effect.Effect<A, AiError.AiError>) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(effect)
    if (Exit.isSuccess(exit)) return expect.fail("expected a failure")
    const error = exit.cause.reasons.find((r) => r._tag === "Fail")
    if (error === undefined || error._tag !== "Fail") return expect.fail("expected a typed failure")
    return error.error
  })

describe("Anthropic", () => {
  it.effect("generateText: JSON with key, version, system prompt and settings", () =>
    Effect.gen(function* () {
      const { server, model } = yield* withServer([{ json: anthropicMessage("export const add = 1") }], anthropic)
      const response = yield* model
        .generateText({ prompt })
        .pipe(Effect.provideService(GenerationSettings, { maxTokens: 256, temperature: 0.2 }))
      expect(response.text).toBe("export const add = 1")
      expect(response.finishReason).toBe("stop")
      expect(response.usage.inputTokens.total).toBe(12)
      expect(response.usage.outputTokens.total).toBe(6)
      const [seen] = server.requests
      expect(seen?.path).toBe("/v1/messages")
      expect(seen?.headers["x-api-key"]).toBe("sk-test-secret-key")
      expect(seen?.headers["anthropic-version"]).toBe("2023-06-01")
      expect(seen?.body).toEqual({
        model: "claude-sonnet-4-5",
        max_tokens: 256,
        temperature: 0.2,
        system: "You write TypeScript.",
        messages: [{ role: "user", content: "Write add." }]
      })
    })
  )

  it.effect("streamText: SSE events into text deltas, stop reason and usage", () =>
    Effect.gen(function* () {
      const { server, model } = yield* withServer([{ sse: anthropicSse(["export ", "const ", "a = 1"]) }], anthropic)
      const { text, finish } = yield* streamed(model)
      expect(text).toBe("export const a = 1")
      expect(finish?.reason).toBe("stop")
      expect(finish?.usage.inputTokens.total).toBe(25)
      expect(finish?.usage.outputTokens.total).toBe(15)
      expect(server.requests[0]?.body).toMatchObject({ stream: true })
    })
  )

  it.effect("max_tokens stop maps to finish reason length", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [{ json: anthropicMessage("```ts\nexport", { stop: "max_tokens" }) }],
        anthropic
      )
      expect((yield* model.generateText({ prompt })).finishReason).toBe("length")
    })
  )

  it.effect("a stream that stops before message_stop fails as a dropped connection", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [
          { sse: anthropicSse(["partial"], { complete: false }), cut: true },
          { sse: anthropicSse(["partial"], { complete: false }) }
        ],
        anthropic
      )
      // Cut mid-body: a transport error. Ended cleanly but early: no message_stop. Both are retryable.
      const cut = yield* failure(streamed(model))
      expect(cut.reason._tag).toBe("NetworkError")
      expect(cut.isRetryable).toBe(true)
      const early = yield* failure(streamed(model))
      expect(early.reason._tag).toBe("InternalProviderError")
      expect(metadataOf(early)).toEqual({ tamma: { reason: "truncated" } })
    })
  )

  it.effect("an error event mid-stream (overloaded) fails with that error", () =>
    Effect.gen(function* () {
      const frames = [
        ...anthropicSse(["a"], { complete: false }),
        `event: error\ndata: ${JSON.stringify(anthropicError("overloaded_error", "Overloaded"))}\n\n`
      ]
      const { model } = yield* withServer([{ sse: frames }], anthropic)
      const error = yield* failure(streamed(model))
      expect(error.reason._tag).toBe("InternalProviderError")
      expect(metadataOf(error)).toEqual({ tamma: { reason: "overloaded" } })
    })
  )

  it.effect("statuses: 529 overloaded, 429 with retry-after, 401, 400 prompt too long", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [
          { status: 529, json: anthropicError("overloaded_error", "Overloaded") },
          { status: 429, headers: { "retry-after": "7" }, json: anthropicError("rate_limit_error", "slow down") },
          { status: 401, json: anthropicError("authentication_error", "invalid x-api-key") },
          {
            status: 400,
            json: anthropicError("invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum")
          }
        ],
        anthropic
      )
      const overloaded = yield* failure(model.generateText({ prompt }))
      expect(metadataOf(overloaded)).toEqual({ tamma: { reason: "overloaded" } })
      const limited = yield* failure(model.generateText({ prompt }))
      expect(limited.reason._tag).toBe("RateLimitError")
      expect(limited.retryAfter === undefined ? undefined : Duration.toMillis(limited.retryAfter)).toBe(7000)
      const auth = yield* failure(model.generateText({ prompt }))
      expect(auth.reason._tag).toBe("AuthenticationError")
      expect(JSON.stringify(auth)).not.toContain("sk-test-secret-key")
      const tooLong = yield* failure(model.generateText({ prompt }))
      expect(tooLong.reason._tag).toBe("InvalidRequestError")
      expect(metadataOf(tooLong)).toEqual({ tamma: { reason: "context-too-long" } })
    })
  )

  it.effect("malformed JSON is an invalid response", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [{ body: '{"id":"msg_1","type":"message","content":[{"type":"te' }],
        anthropic
      )
      const error = yield* failure(model.generateText({ prompt }))
      expect(error.reason._tag).toBe("InvalidResponseError")
    })
  )

  it.effect("reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL from the config provider", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([{ json: anthropicMessage("ok") }])
      const model = yield* Anthropic.make("claude-haiku-4-5").pipe(
        Effect.provide(FetchHttpClient.layer),
        Effect.provide(
          ConfigProvider.layer(
            ConfigProvider.fromEnvRecord({ ANTHROPIC_API_KEY: "env-key", ANTHROPIC_BASE_URL: server.baseUrl })
          )
        )
      )
      expect((yield* model.generateText({ prompt: "hi" })).text).toBe("ok")
      expect(server.requests[0]?.headers["x-api-key"]).toBe("env-key")
    })
  )

  it.effect("without a key the request fails with MissingKey before any network", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([])
      const model = yield* Anthropic.make("claude-haiku-4-5", { baseUrl: server.baseUrl }).pipe(
        Effect.provide(FetchHttpClient.layer),
        Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord({})))
      )
      const error = yield* failure(model.generateText({ prompt: "hi" }))
      expect(error.reason._tag === "AuthenticationError" && error.reason.kind).toBe("MissingKey")
      expect(server.requests).toHaveLength(0)
    })
  )
})

describe("OpenAI", () => {
  it.effect("generateText: JSON with bearer key and max_completion_tokens", () =>
    Effect.gen(function* () {
      const { server, model } = yield* withServer([{ json: openAiCompletion("const x = 1") }], openai)
      const response = yield* model
        .generateText({ prompt })
        .pipe(Effect.provideService(GenerationSettings, { maxTokens: 100, temperature: undefined }))
      expect(response.text).toBe("const x = 1")
      expect(response.usage.inputTokens.total).toBe(19)
      expect(response.usage.outputTokens.total).toBe(10)
      const [seen] = server.requests
      expect(seen?.path).toBe("/chat/completions")
      expect(seen?.headers.authorization).toBe("Bearer sk-test-secret-key")
      expect(seen?.body).toEqual({
        model: "gpt-4.1",
        messages: [
          { role: "system", content: "You write TypeScript." },
          { role: "user", content: "Write add." }
        ],
        max_completion_tokens: 100
      })
    })
  )

  it.effect("streamText: data chunks, usage chunk and [DONE]", () =>
    Effect.gen(function* () {
      const { server, model } = yield* withServer([{ sse: openAiSse(["Hel", "lo"]) }], openai)
      const { text, finish } = yield* streamed(model)
      expect(text).toBe("Hello")
      expect(finish?.reason).toBe("stop")
      expect(finish?.usage.outputTokens.total).toBe(12)
      expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
    })
  )

  it.effect("finish reasons content_filter and length", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [
          { json: openAiCompletion("", { finish: "content_filter" }) },
          { sse: openAiSse(["abc"], { finish: "length" }) }
        ],
        openai
      )
      expect((yield* model.generateText({ prompt })).finishReason).toBe("content-filter")
      expect((yield* streamed(model)).finish?.reason).toBe("length")
    })
  )

  it.effect("a stream without [DONE] or finish reason is truncated", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [{ sse: openAiSse(["par"], { complete: false }), cut: true }, { sse: openAiSse(["par"], { complete: false }) }],
        openai
      )
      expect((yield* failure(streamed(model))).reason._tag).toBe("NetworkError")
      const early = yield* failure(streamed(model))
      expect(early.reason._tag).toBe("InternalProviderError")
      expect(metadataOf(early)).toEqual({ tamma: { reason: "truncated" } })
    })
  )

  it.effect("statuses: 429 retry-after-ms, insufficient_quota, context_length_exceeded, 503", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [
          {
            status: 429,
            headers: { "retry-after-ms": "1500" },
            json: openAiError("Rate limit reached", "requests", "rate_limit_exceeded")
          },
          {
            status: 429,
            json: openAiError("You exceeded your current quota", "insufficient_quota", "insufficient_quota")
          },
          {
            status: 400,
            json: openAiError(
              "This model's maximum context length is 128000 tokens",
              "invalid_request_error",
              "context_length_exceeded"
            )
          },
          { status: 503, json: openAiError("The engine is currently overloaded", "server_error") },
          { status: 500, json: openAiError("The server had an error", "server_error") }
        ],
        openai
      )
      const limited = yield* failure(model.generateText({ prompt }))
      expect(limited.reason._tag).toBe("RateLimitError")
      expect(limited.retryAfter === undefined ? undefined : Duration.toMillis(limited.retryAfter)).toBe(1500)
      expect((yield* failure(model.generateText({ prompt }))).reason._tag).toBe("QuotaExhaustedError")
      expect(metadataOf(yield* failure(model.generateText({ prompt })))).toEqual({
        tamma: { reason: "context-too-long" }
      })
      expect(metadataOf(yield* failure(model.generateText({ prompt })))).toEqual({
        tamma: { reason: "overloaded" }
      })
      // Any other 5xx: the reason is set where the failure is made, not guessed from its class later.
      expect(metadataOf(yield* failure(model.generateText({ prompt })))).toEqual({ tamma: { reason: "server" } })
    })
  )

  it.effect("malformed JSON in a stream chunk is an invalid response", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [{ sse: ['data: {"id":"x","choices":[{"delta":{"content":"a"}\n\n'] }],
        openai
      )
      expect((yield* failure(streamed(model))).reason._tag).toBe("InvalidResponseError")
    })
  )
})

describe("OpenAiCompatible", () => {
  it.effect("generateText without a key, with max_tokens (Ollama, vLLM, llama.cpp)", () =>
    Effect.gen(function* () {
      const { server, model } = yield* withServer(
        [{ json: openAiCompletion("local", { model: "qwen2.5-coder" }) }],
        compatible
      )
      const response = yield* model
        .generateText({ prompt })
        .pipe(Effect.provideService(GenerationSettings, { maxTokens: 64, temperature: 0 }))
      expect(response.text).toBe("local")
      expect(server.requests[0]?.headers.authorization).toBeUndefined()
      expect(server.requests[0]?.body).toMatchObject({ model: "qwen2.5-coder", max_tokens: 64, temperature: 0 })
    })
  )

  it.effect("streamText from a server that ends with a finish reason but no [DONE]", () =>
    Effect.gen(function* () {
      const frames = openAiSse(["a", "b"]).slice(0, -1)
      const { model } = yield* withServer([{ sse: frames }], compatible)
      expect((yield* streamed(model)).text).toBe("ab")
    })
  )

  it.effect("a plain-string error body still decodes (Ollama)", () =>
    Effect.gen(function* () {
      const { model } = yield* withServer(
        [{ status: 404, json: { error: 'model "nope" not found, try pulling it first' } }],
        compatible
      )
      const error = yield* failure(model.generateText({ prompt }))
      expect(error.reason._tag).toBe("InvalidRequestError")
      expect(error.message).toContain("not found")
    })
  )
})
