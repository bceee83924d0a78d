import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { NodeFileSystem } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import type { AIProviderError } from "../../../core/errors.ts"
import { AIProvider, type SendMessageRequest } from "../../../core/services/AIProvider.ts"
import * as AIProviderLive from "../../../plugins/ai/AIProviderLive.ts"
import * as AIProviderRecording from "../../../plugins/ai/AIProviderRecording.ts"
import * as Anthropic from "../../../plugins/ai/anthropic/Anthropic.ts"
import * as OpenAi from "../../../plugins/ai/openai/OpenAi.ts"
import * as OpenAiCompatible from "../../../plugins/ai/openai-compatible/OpenAiCompatible.ts"
import * as ProviderChain from "../../../plugins/ai/ProviderChain.ts"
import { tempFolder } from "../files/TempFolder.ts"
import { fakeServer, sse } from "./FakeServer.ts"
import { anthropicError, anthropicMessage, anthropicSse, openAiCompletion, openAiError, openAiSse } from "./Wire.ts"

const key = Redacted.make("sk-ant-test-key")
const request: SendMessageRequest = {
  messages: [
    { role: "system", content: "You write code." },
    { role: "user", content: "Write a sum function." }
  ],
  maxTokens: 500,
  temperature: 0
}
const fast = { maxRetries: 3, baseDelay: "10 millis", maxDelay: "50 millis", maxRetryAfter: "5 seconds" } as const

const provider = (
  models: AIProviderLive.AIProviderLiveOptions["models"],
  options: Omit<AIProviderLive.AIProviderLiveOptions, "models"> = {}
) =>
  Effect.service(AIProvider).pipe(
    Effect.provide(AIProviderLive.layer({ retry: fast, ...options, models }).pipe(Layer.provide(FetchHttpClient.layer)))
  )

const failureOf = (effect: Effect.Effect<unknown, AIProviderError>) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(effect)
    if (Exit.isSuccess(exit)) return expect.fail("expected a failure")
    const reason = exit.cause.reasons.find((r) => r._tag === "Fail")
    if (reason === undefined || reason._tag !== "Fail") return expect.fail("expected a typed failure")
    return reason.error
  })

describe("AIProviderLive", () => {
  it.live("answers with text, tokens and cost, and accumulates usage", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([
        { json: anthropicMessage("a", { input: 1000, output: 500 }) },
        { json: anthropicMessage("b", { input: 1000, output: 500 }) }
      ])
      const ai = yield* provider([Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })])
      expect(ai.name).toBe("anthropic")
      expect(ai.model).toBe("claude-sonnet-4-5")
      const first = yield* ai.sendMessage(request)
      expect(first).toEqual({ text: "a", finishReason: "stop", inputTokens: 1000, outputTokens: 500, costUsd: 0.0105 })
      yield* ai.sendMessage(request)
      const usage = yield* ai.usage
      expect({ ...usage, costUsd: Number(usage.costUsd.toFixed(6)) }).toEqual({
        input: 2000,
        output: 1000,
        calls: 2,
        costUsd: 0.021
      })
    })
  )

  it.live("honours retry-after on a 429, then succeeds", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([
        {
          status: 429,
          headers: { "retry-after": "1" },
          json: anthropicError("rate_limit_error", "Number of requests exceeded")
        },
        { json: anthropicMessage("after the wait") }
      ])
      const ai = yield* provider([Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })])
      expect((yield* ai.sendMessage(request)).text).toBe("after the wait")
      const [first, second] = server.requests
      expect(server.requests).toHaveLength(2)
      // The backoff alone would have waited ~10 ms; the server asked for a second.
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950)
    })
  )

  it.live("caps a retry-after that is too long", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([
        { status: 429, headers: { "retry-after": "3600" }, json: openAiError("Rate limit", "requests") },
        { json: openAiCompletion("ok") }
      ])
      const ai = yield* provider([OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: server.baseUrl })], {
        retry: { ...fast, maxRetryAfter: "200 millis" }
      })
      expect((yield* ai.sendMessage(request)).text).toBe("ok")
      const [first, second] = server.requests
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeLessThan(1000)
    })
  )

  it.live("retries 5xx and overloaded, then falls back to the second provider", () =>
    Effect.gen(function* () {
      const primary = yield* fakeServer([
        { status: 500, json: anthropicError("api_error", "Internal server error") },
        { status: 529, json: anthropicError("overloaded_error", "Overloaded") },
        { status: 529, json: anthropicError("overloaded_error", "Overloaded") },
        { status: 502, body: "<html>Bad gateway</html>" }
      ])
      const secondary = yield* fakeServer([{ json: openAiCompletion("from the fallback", { model: "qwen2.5-coder" }) }])
      const ai = yield* provider([
        Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: primary.baseUrl }),
        OpenAiCompatible.model("qwen2.5-coder", { baseUrl: secondary.baseUrl })
      ])
      const answer = yield* ai.sendMessage(request)
      expect(answer.text).toBe("from the fallback")
      expect(answer.costUsd).toBe(0)
      expect(primary.requests).toHaveLength(1 + fast.maxRetries)
      expect(secondary.requests).toHaveLength(1)
    })
  )

  it.live("a 401 fails with reason auth after exactly one request", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([
        { status: 401, json: anthropicError("authentication_error", "invalid x-api-key") },
        { json: anthropicMessage("never") }
      ])
      const ai = yield* provider([Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })])
      const error = yield* failureOf(ai.sendMessage(request))
      expect(error.reason).toBe("auth")
      expect(error.provider).toBe("anthropic")
      expect(server.requests).toHaveLength(1)
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("sk-ant-test-key")
    })
  )

  // Some servers and proxies quote the credential they refused; the failure is printed and logged.
  it.live("an error body that quotes the key does not carry it into the failure", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([
        {
          status: 401,
          json: openAiError("Incorrect API key provided: Bearer sk-ant-test-key", "invalid_request_error")
        },
        { status: 401, json: anthropicError("authentication_error", "invalid x-api-key sk-ant-test-key") }
      ])
      const openAi = yield* provider([OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: server.baseUrl })])
      const anthropic = yield* provider([
        Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })
      ])
      for (const error of [
        yield* failureOf(openAi.sendMessage(request)),
        yield* failureOf(anthropic.sendMessage(request))
      ]) {
        expect(error.reason).toBe("auth")
        expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("sk-ant-test-key")
        expect(error.message).toContain("[redacted]")
      }
    })
  )

  // The same holds for an error that arrives inside a streamed answer, after a 200.
  it.live("an error event mid-stream that quotes the key does not carry it into the failure, in both protocols", () =>
    Effect.gen(function* () {
      const quoted = "upstream refused Bearer sk-ant-test-key (x-api-key sk-ant-test-key)"
      const server = yield* fakeServer([
        {
          sse: [
            ...openAiSse(["partial"], { complete: false }),
            sse({ error: { message: quoted, type: "server_error" } })
          ]
        },
        // Ollama and some proxies send the error as a bare string, with no choices.
        { sse: [sse({ error: quoted })] },
        {
          sse: [...anthropicSse(["partial"], { complete: false }), sse(anthropicError("api_error", quoted), "error")]
        }
      ])
      const once = { stream: true, retry: { ...fast, maxRetries: 0 } }
      const openAi = yield* provider([OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: server.baseUrl })], once)
      const anthropic = yield* provider(
        [Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })],
        once
      )
      const failures = [
        yield* failureOf(openAi.sendMessage(request)),
        yield* failureOf(openAi.sendMessage(request)),
        yield* failureOf(anthropic.sendMessage(request))
      ]
      expect(server.requests).toHaveLength(3)
      expect(failures.map((error) => error.reason)).toEqual(["server", "server", "server"])
      for (const error of failures) {
        expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("sk-ant-test-key")
        expect(error.message).toContain("[redacted]")
      }
      expect(failures[0]?.message).toContain("upstream refused [redacted] (x-api-key [redacted])")
    })
  )

  // Some compatible servers send `{"object":"error","message":...}`: no choices, no `error` key.
  it.live("a stream chunk with neither choices nor error fails with the server's message, redacted", () =>
    Effect.gen(function* () {
      const quoted = "model overloaded for key sk-ant-test-key"
      const server = yield* fakeServer([
        { sse: [sse({ object: "error", message: quoted, code: 503 })] },
        { sse: [sse({})] }
      ])
      const once = { stream: true, retry: { ...fast, maxRetries: 0 } }
      const ai = yield* provider([OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: server.baseUrl })], once)
      const withMessage = yield* failureOf(ai.sendMessage(request))
      const bare = yield* failureOf(ai.sendMessage(request))
      expect(server.requests).toHaveLength(2)
      expect(withMessage.reason).toBe("server")
      expect(withMessage.message).toContain("model overloaded for key [redacted]")
      expect(`${withMessage.message} ${JSON.stringify(withMessage)}`).not.toContain("sk-ant-test-key")
      expect(bare.reason).toBe("server")
      expect(bare.message).toContain("neither choices nor error")
    })
  )

  it.live("a 400 is not retried and not sent to the fallback", () =>
    Effect.gen(function* () {
      const primary = yield* fakeServer([
        { status: 400, json: openAiError("Invalid value for 'temperature'", "invalid_request_error") }
      ])
      const secondary = yield* fakeServer([{ json: openAiCompletion("never") }])
      const ai = yield* provider([
        OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: primary.baseUrl }),
        OpenAi.model("gpt-4.1-mini", { apiKey: key, baseUrl: secondary.baseUrl })
      ])
      expect((yield* failureOf(ai.sendMessage(request))).reason).toBe("bad-request")
      expect(primary.requests).toHaveLength(1)
      expect(secondary.requests).toHaveLength(0)
    })
  )

  it.live("a prompt that is too long is context-too-long and goes to the fallback", () =>
    Effect.gen(function* () {
      const primary = yield* fakeServer([
        {
          status: 400,
          json: anthropicError("invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum")
        }
      ])
      const secondary = yield* fakeServer([{ json: openAiCompletion("bigger window") }])
      const ai = yield* provider([
        Anthropic.model("claude-haiku-4-5", { apiKey: key, baseUrl: primary.baseUrl }),
        OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: secondary.baseUrl })
      ])
      expect((yield* ai.sendMessage(request)).text).toBe("bigger window")
      expect(primary.requests).toHaveLength(1)
    })
  )

  it.live("times out a slow answer, retries, and reports reason timeout", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([
        { delayMs: 2000, json: anthropicMessage("late") },
        { delayMs: 2000, json: anthropicMessage("late") }
      ])
      const ai = yield* provider([Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })], {
        timeout: "200 millis",
        retry: { ...fast, maxRetries: 1 }
      })
      const error = yield* failureOf(ai.sendMessage(request))
      expect(error.reason).toBe("timeout")
      expect(server.requests).toHaveLength(2)
    })
  )

  it.live("malformed JSON is invalid-response and is not retried", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([{ body: "{not json" }, { json: openAiCompletion("never") }])
      const ai = yield* provider([OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: server.baseUrl })])
      expect((yield* failureOf(ai.sendMessage(request))).reason).toBe("invalid-response")
      expect(server.requests).toHaveLength(1)
    })
  )

  it.live("a filtered answer fails with content-filtered", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([{ json: openAiCompletion("", { finish: "content_filter" }) }])
      const ai = yield* provider([OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: server.baseUrl })])
      expect((yield* failureOf(ai.sendMessage(request))).reason).toBe("content-filtered")
    })
  )

  it.live("stream mode: a truncated SSE answer is retried, the next one completes", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([
        { sse: anthropicSse(["export const"], { complete: false }), cut: true },
        { sse: anthropicSse(["export const ", "sum = 1"]) }
      ])
      const ai = yield* provider([Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })], {
        stream: true
      })
      const answer = yield* ai.sendMessage(request)
      expect(answer).toMatchObject({ text: "export const sum = 1", inputTokens: 25, outputTokens: 15 })
      expect(server.requests).toHaveLength(2)
    })
  )

  it.live("stream mode: the text reaches AIProvider.onText delta by delta, as it arrives", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([
        { sse: openAiSse(["export ", "const ", "sum = 1"]) },
        { sse: openAiSse(["cut ", "off"], { finish: "length" }) }
      ])
      const ai = yield* provider([OpenAi.model("gpt-4.1", { apiKey: key, baseUrl: server.baseUrl })], { stream: true })
      const heard: Array<string> = []
      const listen = AIProvider.onText(({ provider, text }) => Effect.sync(() => heard.push(`${provider}:${text}`)))
      const answer = yield* ai.sendMessage(request).pipe(listen)
      expect(answer).toMatchObject({ text: "export const sum = 1", finishReason: "stop" })
      expect(heard).toEqual(["openai:export ", "openai:const ", "openai:sum = 1"])
      // A model that hit its token limit says so: the caller asks it to continue.
      expect(yield* ai.sendMessage(request).pipe(listen)).toMatchObject({ text: "cut off", finishReason: "length" })
      // Outside `onText` nobody listens.
      expect(heard).toHaveLength(5)
    })
  )

  it.live("JSON mode: the whole text reaches AIProvider.onText once", () =>
    Effect.gen(function* () {
      const server = yield* fakeServer([{ json: anthropicMessage("whole answer", { stop: "max_tokens" }) }])
      const ai = yield* provider([Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })])
      const heard: Array<string> = []
      const answer = yield* ai
        .sendMessage(request)
        .pipe(AIProvider.onText(({ text }) => Effect.sync(() => heard.push(text))))
      expect(heard).toEqual(["whole answer"])
      expect(answer.finishReason).toBe("length")
    })
  )

  it.live("ProviderChain: none is template-only, a list becomes a chain", () =>
    Effect.gen(function* () {
      const none = yield* Effect.service(AIProvider).pipe(
        Effect.provide(ProviderChain.layer([{ name: "none" }]).pipe(Layer.provide(FetchHttpClient.layer)))
      )
      expect(none.available).toBe(false)
      const server = yield* fakeServer([{ json: openAiCompletion("local") }])
      const chain = yield* Effect.service(AIProvider).pipe(
        Effect.provide(
          ProviderChain.layer([{ name: "openai-compatible", model: "llama3.2", baseUrl: server.baseUrl }]).pipe(
            Layer.provide(FetchHttpClient.layer)
          )
        )
      )
      expect(chain.name).toBe("openai-compatible")
      expect((yield* chain.sendMessage(request)).text).toBe("local")
    })
  )
})

describe("AIProviderRecording", () => {
  it.live("records a run to JSONL and replays it offline", () =>
    Effect.gen(function* () {
      const folder = yield* tempFolder()
      const path = nodePath.join(folder, "transcript.jsonl")
      const server = yield* fakeServer([
        { json: anthropicMessage("recorded answer", { input: 10, output: 5 }) },
        { status: 400, json: anthropicError("invalid_request_error", "bad") }
      ])
      const live = AIProviderLive.layer({
        retry: fast,
        models: [Anthropic.model("claude-sonnet-4-5", { apiKey: key, baseUrl: server.baseUrl })]
      }).pipe(Layer.provide(FetchHttpClient.layer))
      const recorded = yield* Effect.gen(function* () {
        const ai = yield* AIProvider
        const answer = yield* ai.sendMessage(request)
        const failed = yield* failureOf(ai.sendMessage({ ...request, temperature: 1 }))
        return { answer, failed }
      }).pipe(Effect.provide(AIProviderRecording.record(path).pipe(Layer.provide([live, NodeFileSystem.layer]))))
      expect(recorded.failed.reason).toBe("bad-request")
      const lines = (yield* Effect.promise(() => fs.readFile(path, "utf8"))).trim().split("\n")
      expect(lines).toHaveLength(2)
      expect(lines.join("\n")).not.toContain("sk-ant-test-key")

      const replayed = yield* Effect.gen(function* () {
        const ai = yield* AIProvider
        const answer = yield* ai.sendMessage(request)
        const failed = yield* failureOf(ai.sendMessage({ ...request, temperature: 1 }))
        const unknown = yield* failureOf(ai.sendMessage({ messages: [{ role: "user", content: "never asked" }] }))
        return { answer, failed, unknown, usage: yield* ai.usage }
      }).pipe(Effect.provide(AIProviderRecording.replay(path).pipe(Layer.provide(NodeFileSystem.layer))))
      expect(replayed.answer).toEqual(recorded.answer)
      expect(replayed.failed.reason).toBe("bad-request")
      expect(replayed.unknown.reason).toBe("unavailable")
      expect(replayed.usage.calls).toBe(1)
      expect(server.requests).toHaveLength(2)
    })
  )
})
