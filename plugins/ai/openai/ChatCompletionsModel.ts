/**
 * A `LanguageModel` over the Chat Completions protocol: JSON for `generateText`, SSE
 * (`data: {...}` chunks ending with `data: [DONE]`) for `streamText`.
 */
import { Effect, Redacted, Stream } from "effect"
import { AiError, LanguageModel, type Response } from "effect/ai"
import type { Sse } from "effect/encoding"
import { HttpClient, HttpClientRequest } from "effect/http"
import { GenerationSettings } from "../GenerationSettings.ts"
import { textMessages } from "../PromptMessages.ts"
import { aiError, invalidResponse, pinReason, truncatedStream } from "../ProviderFailure.ts"
import { bodyText, postJson, sseEvents } from "../ProviderHttp.ts"
import {
  type ChatCompletionChunk,
  completionParts,
  decodeChunk,
  decodeCompletion,
  decodeError,
  finishReason,
  requestBody,
  usageOf
} from "./ChatCompletions.ts"

export interface ChatCompletionsConfig {
  /** Names the provider in errors (`OpenAi`, `OpenAiCompatible`). */
  readonly module: string
  /** Up to and including the version segment, e.g. `https://api.openai.com/v1`. */
  readonly baseUrl: string
  readonly model: string
  readonly apiKey: Redacted.Redacted<string> | undefined
  /** OpenAI needs a key; local servers do not. */
  readonly requireKey: boolean
  readonly maxTokensField: "max_tokens" | "max_completion_tokens"
  readonly defaultMaxTokens: number | undefined
}

const textId = "text-0"

export const makeChatCompletionsModel = Effect.fnUntraced(function* (config: ChatCompletionsConfig) {
  const client = yield* HttpClient.HttpClient
  const url = `${config.baseUrl.replace(/\/+$/, "")}/chat/completions`
  const authorize = (request: HttpClientRequest.HttpClientRequest) =>
    config.apiKey === undefined ? request : HttpClientRequest.bearerToken(request, Redacted.value(config.apiKey))

  const post = (options: LanguageModel.ProviderOptions, method: string, stream: boolean) =>
    Effect.gen(function* () {
      if (config.requireKey && config.apiKey === undefined) {
        return yield* aiError(config.module, method, new AiError.AuthenticationError({ kind: "MissingKey" }))
      }
      const settings = yield* GenerationSettings
      const body = requestBody(
        textMessages(options.prompt),
        {
          model: config.model,
          maxTokens: settings.maxTokens ?? config.defaultMaxTokens,
          temperature: settings.temperature,
          maxTokensField: config.maxTokensField
        },
        stream
      )
      return yield* postJson({
        client,
        module: config.module,
        method,
        url,
        headers: stream ? { accept: "text/event-stream" } : { accept: "application/json" },
        authorize,
        body,
        decodeError
      })
    })

  const generateText = (options: LanguageModel.ProviderOptions) =>
    Effect.gen(function* () {
      const { response } = yield* post(options, "generateText", false)
      const text = yield* bodyText(response, config.module, "generateText")
      const completion = yield* decodeCompletion(text).pipe(
        Effect.mapError((error) => invalidResponse(config.module, "generateText", error.message))
      )
      return completionParts(completion)
    })

  const streamText = (options: LanguageModel.ProviderOptions) =>
    Stream.unwrap(
      Effect.gen(function* () {
        const { response, redact } = yield* post(options, "streamText", true)
        const state = {
          metadataSent: false,
          textStarted: false,
          finish: undefined as string | null | undefined,
          usage: undefined as ChatCompletionChunk["usage"],
          done: false
        }
        const closing = (): Array<Response.StreamPartEncoded> => {
          state.done = true
          return [
            ...(state.textStarted ? [{ type: "text-end" as const, id: textId }] : []),
            { type: "finish", reason: finishReason(state.finish), usage: usageOf(state.usage) }
          ]
        }
        const onChunk = (
          chunk: ChatCompletionChunk
        ): Effect.Effect<Array<Response.StreamPartEncoded>, AiError.AiError> => {
          if (chunk.error !== undefined) {
            const message = typeof chunk.error === "string" ? chunk.error : chunk.error.message
            return Effect.fail(
              aiError(
                config.module,
                "streamText",
                new AiError.InternalProviderError({
                  // Some servers quote the credential they refused; the failure is printed and logged.
                  description: message === undefined ? "error in stream" : redact(message),
                  metadata: pinReason("server")
                })
              )
            )
          }
          const parts: Array<Response.StreamPartEncoded> = []
          if (!state.metadataSent) {
            state.metadataSent = true
            parts.push({ type: "response-metadata", id: chunk.id, modelId: chunk.model })
          }
          const choice = chunk.choices[0]
          const delta = choice?.delta?.content ?? choice?.delta?.refusal
          if (delta !== undefined && delta !== null && delta !== "") {
            if (!state.textStarted) {
              state.textStarted = true
              parts.push({ type: "text-start", id: textId })
            }
            parts.push({ type: "text-delta", id: textId, delta })
          }
          if (choice?.finish_reason !== undefined && choice.finish_reason !== null) state.finish = choice.finish_reason
          if (chunk.usage !== undefined && chunk.usage !== null) state.usage = chunk.usage
          return Effect.succeed(parts)
        }
        const onEvent = (event: Sse.Event): Effect.Effect<Array<Response.StreamPartEncoded>, AiError.AiError> => {
          if (state.done) return Effect.succeed([])
          if (event.data.trim() === "[DONE]") return Effect.succeed(closing())
          return decodeChunk(event.data).pipe(
            Effect.mapError((error) => invalidResponse(config.module, "streamText", error.message)),
            Effect.flatMap(onChunk)
          )
        }
        const parts = sseEvents(response, config.module, "streamText").pipe(
          Stream.mapEffect(onEvent),
          Stream.flattenIterable
        )
        return Stream.concat(
          parts,
          Stream.suspend(() =>
            state.done
              ? Stream.empty
              : state.finish !== undefined
                ? // A server that ends with a finish reason but no [DONE] still sent a whole answer.
                  Stream.fromIterable(closing())
                : Stream.fail(truncatedStream(config.module, "streamText", "data: [DONE]"))
          )
        )
      })
    )

  return yield* LanguageModel.make({ generateText, streamText })
})
