/**
 * Anthropic (Messages API) as an `effect/ai` `LanguageModel`: JSON for `generateText`, SSE for
 * `streamText`. The key and base URL come from the options, else from `ANTHROPIC_API_KEY` /
 * `ANTHROPIC_BASE_URL`; the key stays `Redacted` and goes only into the `x-api-key` header.
 */
import { Effect, Layer, Redacted, Stream } from "effect"
import { AiError, LanguageModel, Model, type Response } from "effect/ai"
import type { Sse } from "effect/encoding"
import { HttpClient, HttpClientRequest } from "effect/http"
import { GenerationSettings } from "../GenerationSettings.ts"
import { textMessages } from "../PromptMessages.ts"
import { envSecret, envString } from "../ProviderEnv.ts"
import { aiError, invalidResponse, reasonFromFailure, truncatedStream } from "../ProviderFailure.ts"
import { bodyText, postJson, sseEvents } from "../ProviderHttp.ts"
import {
  apiVersion,
  decodeError,
  decodeMessage,
  decodeStreamEvent,
  finishReason,
  messageParts,
  requestBody,
  type StreamEvent,
  type Usage,
  usageOf
} from "./Messages.ts"

export interface AnthropicOptions {
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** Without the `/v1` segment, like the official SDK: `https://api.anthropic.com`. */
  readonly baseUrl?: string | undefined
  /** The Messages API requires `max_tokens`; used when a request sets none. */
  readonly maxTokens?: number | undefined
}

const module = "Anthropic"
const defaultBaseUrl = "https://api.anthropic.com"
const knownEvents = new Set([
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
  "error"
])

export const defaultModel = "claude-sonnet-4-5"

/** Output tokens per call when the config sets none (the Messages API requires a number). */
export const defaultMaxTokens = 8192

export const make = Effect.fnUntraced(function* (model: string, options: AnthropicOptions = {}) {
  const client = yield* HttpClient.HttpClient
  const apiKey = options.apiKey ?? (yield* envSecret("ANTHROPIC_API_KEY"))
  const baseUrl = options.baseUrl ?? (yield* envString("ANTHROPIC_BASE_URL")) ?? defaultBaseUrl
  const url = `${baseUrl.replace(/\/+$/, "")}/v1/messages`
  const maxTokens = options.maxTokens ?? defaultMaxTokens

  const post = (providerOptions: LanguageModel.ProviderOptions, method: string, stream: boolean) =>
    Effect.gen(function* () {
      if (apiKey === undefined) {
        return yield* aiError(module, method, new AiError.AuthenticationError({ kind: "MissingKey" }))
      }
      const settings = yield* GenerationSettings
      return yield* postJson({
        client,
        module,
        method,
        url,
        headers: {
          "anthropic-version": apiVersion,
          accept: stream ? "text/event-stream" : "application/json"
        },
        authorize: (request) => HttpClientRequest.setHeader(request, "x-api-key", Redacted.value(apiKey)),
        body: requestBody(
          textMessages(providerOptions.prompt),
          { model, maxTokens: settings.maxTokens ?? maxTokens, temperature: settings.temperature },
          stream
        ),
        decodeError
      })
    })

  const generateText = (providerOptions: LanguageModel.ProviderOptions) =>
    Effect.gen(function* () {
      const { response } = yield* post(providerOptions, "generateText", false)
      const text = yield* bodyText(response, module, "generateText")
      const message = yield* decodeMessage(text).pipe(
        Effect.mapError((error) => invalidResponse(module, "generateText", error.message))
      )
      return messageParts(message)
    })

  const streamText = (providerOptions: LanguageModel.ProviderOptions) =>
    Stream.unwrap(
      Effect.gen(function* () {
        const { response, redact } = yield* post(providerOptions, "streamText", true)
        const state = {
          open: new Set<number>(),
          usage: {} as Usage,
          stopReason: undefined as string | null | undefined,
          done: false
        }
        const onEvent = (event: StreamEvent): Effect.Effect<Array<Response.StreamPartEncoded>, AiError.AiError> => {
          switch (event.type) {
            case "message_start":
              state.usage = { ...state.usage, ...event.message.usage }
              return Effect.succeed([{ type: "response-metadata", id: event.message.id, modelId: event.message.model }])
            case "content_block_start":
              if (event.content_block.type !== "text") return Effect.succeed([])
              state.open.add(event.index)
              return Effect.succeed([{ type: "text-start", id: `${event.index}` }])
            case "content_block_delta":
              if (event.delta.type !== "text_delta" || event.delta.text === undefined) return Effect.succeed([])
              if (!state.open.has(event.index)) {
                state.open.add(event.index)
                return Effect.succeed([
                  { type: "text-start", id: `${event.index}` },
                  { type: "text-delta", id: `${event.index}`, delta: event.delta.text }
                ])
              }
              return Effect.succeed([{ type: "text-delta", id: `${event.index}`, delta: event.delta.text }])
            case "content_block_stop":
              if (!state.open.delete(event.index)) return Effect.succeed([])
              return Effect.succeed([{ type: "text-end", id: `${event.index}` }])
            case "message_delta":
              state.stopReason = event.delta.stop_reason
              // The delta's usage is cumulative; keep message_start's input counts when it omits them.
              state.usage = Object.fromEntries(
                Object.entries({ ...state.usage, ...event.usage }).filter(([, value]) => value !== null)
              )
              return Effect.succeed([])
            case "message_stop": {
              state.done = true
              const closing: Array<Response.StreamPartEncoded> = [...state.open].map((index) => ({
                type: "text-end",
                id: `${index}`
              }))
              state.open.clear()
              closing.push({ type: "finish", reason: finishReason(state.stopReason), usage: usageOf(state.usage) })
              return Effect.succeed(closing)
            }
            case "error":
              // An error event mid-stream (overloaded_error is the common one) classifies like its HTTP twin.
              return Effect.fail(
                aiError(
                  module,
                  "streamText",
                  reasonFromFailure({
                    status: event.error.type === "overloaded_error" ? 529 : 500,
                    headers: response.headers,
                    body: "",
                    errorType: event.error.type,
                    // Some servers quote the credential they refused; the failure is printed and logged.
                    message: event.error.message === undefined ? undefined : redact(event.error.message)
                  })
                )
              )
            case "ping":
              return Effect.succeed([])
          }
        }
        const decode = (event: Sse.Event): Effect.Effect<Array<Response.StreamPartEncoded>, AiError.AiError> => {
          if (state.done || !knownEvents.has(event.event)) return Effect.succeed([])
          return decodeStreamEvent(event.data).pipe(
            Effect.mapError((error) => invalidResponse(module, "streamText", error.message)),
            Effect.flatMap(onEvent)
          )
        }
        return Stream.concat(
          sseEvents(response, module, "streamText").pipe(Stream.mapEffect(decode), Stream.flattenIterable),
          Stream.suspend(() =>
            state.done ? Stream.empty : Stream.fail(truncatedStream(module, "streamText", "message_stop"))
          )
        )
      })
    )

  return yield* LanguageModel.make({ generateText, streamText })
})

/** A `Model` layer: `LanguageModel` plus `ProviderName` "anthropic" and `ModelName`. */
export const model = (
  modelId: string,
  options: AnthropicOptions = {}
): Model.Model<"anthropic", LanguageModel.LanguageModel, HttpClient.HttpClient> =>
  Model.make("anthropic", modelId, Layer.effect(LanguageModel.LanguageModel, make(modelId, options)))
