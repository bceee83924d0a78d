/**
 * The OpenAI Chat Completions wire format (also spoken by Ollama, vLLM, llama.cpp and LM Studio):
 * request body, response and stream-chunk schemas, and their mapping to `effect/ai` response parts.
 */
import { Effect, Schema } from "effect"
import type { Response } from "effect/ai"
import type { TextMessage } from "../PromptMessages.ts"
import type { ErrorBodyDecoder } from "../ProviderFailure.ts"

const Usage = Schema.Struct({
  prompt_tokens: Schema.optional(Schema.NullOr(Schema.Int)),
  completion_tokens: Schema.optional(Schema.NullOr(Schema.Int)),
  total_tokens: Schema.optional(Schema.NullOr(Schema.Int)),
  prompt_tokens_details: Schema.optional(
    Schema.NullOr(Schema.Struct({ cached_tokens: Schema.optional(Schema.NullOr(Schema.Int)) }))
  )
})
type Usage = typeof Usage.Type

export const ChatCompletion = Schema.Struct({
  id: Schema.optional(Schema.String),
  model: Schema.optional(Schema.String),
  choices: Schema.Array(
    Schema.Struct({
      message: Schema.Struct({
        content: Schema.optional(Schema.NullOr(Schema.String)),
        refusal: Schema.optional(Schema.NullOr(Schema.String))
      }),
      finish_reason: Schema.optional(Schema.NullOr(Schema.String))
    })
  ),
  usage: Schema.optional(Schema.NullOr(Usage))
})
export type ChatCompletion = typeof ChatCompletion.Type

const ChunkChoice = Schema.Struct({
  delta: Schema.optional(
    Schema.NullOr(
      Schema.Struct({
        content: Schema.optional(Schema.NullOr(Schema.String)),
        refusal: Schema.optional(Schema.NullOr(Schema.String))
      })
    )
  ),
  finish_reason: Schema.optional(Schema.NullOr(Schema.String))
})
// Some compatible servers report a failure inside the stream instead of with a status (Ollama as a bare string).
const ChunkError = Schema.Union([Schema.String, Schema.Struct({ message: Schema.optional(Schema.String) })])

/** A chunk as decoded: with choices, or with an error (then `choices` is empty). */
export const ChatCompletionChunk = Schema.Struct({
  id: Schema.optional(Schema.String),
  model: Schema.optional(Schema.String),
  choices: Schema.Array(ChunkChoice),
  usage: Schema.optional(Schema.NullOr(Usage)),
  error: Schema.optional(ChunkError)
})
export type ChatCompletionChunk = typeof ChatCompletionChunk.Type

/** A chunk as sent: an error chunk may come without choices, or as `{"object":"error","message":...}`. */
const ChunkOnWire = Schema.Struct({
  id: Schema.optional(Schema.String),
  model: Schema.optional(Schema.String),
  choices: Schema.optional(Schema.Array(ChunkChoice)),
  usage: Schema.optional(Schema.NullOr(Usage)),
  error: Schema.optional(ChunkError),
  message: Schema.optional(Schema.Unknown)
})
const decodeChunkOnWire = Schema.decodeUnknownEffect(Schema.fromJsonString(ChunkOnWire))

const ErrorBody = Schema.Struct({
  error: Schema.Union([
    Schema.Struct({
      message: Schema.optional(Schema.NullOr(Schema.String)),
      type: Schema.optional(Schema.NullOr(Schema.String)),
      code: Schema.optional(Schema.NullOr(Schema.Union([Schema.String, Schema.Number])))
    }),
    // Ollama and llama.cpp sometimes answer `{"error": "message"}`.
    Schema.String
  ])
})
const decodeErrorBody = Schema.decodeUnknownOption(Schema.fromJsonString(ErrorBody))

export const decodeError: ErrorBodyDecoder = (body) => {
  const decoded = decodeErrorBody(body)
  if (decoded._tag === "None") return {}
  const error = decoded.value.error
  if (typeof error === "string") return { message: error }
  return {
    message: error.message ?? undefined,
    errorType: error.type ?? undefined,
    errorCode: error.code === null || error.code === undefined ? undefined : String(error.code)
  }
}

export const decodeCompletion = Schema.decodeUnknownEffect(Schema.fromJsonString(ChatCompletion))
/**
 * A stream chunk; one with neither choices nor error is the server's failure in another shape, and
 * becomes an error chunk with its message, so it fails the call rather than reading as empty.
 */
export const decodeChunk = (text: string) =>
  Effect.map(decodeChunkOnWire(text), ({ choices, error, message, ...rest }): ChatCompletionChunk => {
    if (choices !== undefined) return { ...rest, choices, ...(error === undefined ? {} : { error }) }
    if (error !== undefined) return { ...rest, choices: [], error }
    const said = typeof message === "string" ? message : "a stream chunk with neither choices nor error"
    return { ...rest, choices: [], error: { message: said } }
  })

export interface RequestSettings {
  readonly model: string
  readonly maxTokens: number | undefined
  readonly temperature: number | undefined
  /** OpenAI's reasoning models take only `max_completion_tokens`; local servers know `max_tokens`. */
  readonly maxTokensField: "max_tokens" | "max_completion_tokens"
}

export const requestBody = (messages: ReadonlyArray<TextMessage>, settings: RequestSettings, stream: boolean) => ({
  model: settings.model,
  messages,
  ...(settings.maxTokens === undefined ? {} : { [settings.maxTokensField]: settings.maxTokens }),
  ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
  ...(stream ? { stream: true, stream_options: { include_usage: true } } : {})
})

export const finishReason = (reason: string | null | undefined): Response.FinishReason => {
  switch (reason) {
    case "stop":
      return "stop"
    case "length":
      return "length"
    case "content_filter":
      return "content-filter"
    case "tool_calls":
    case "function_call":
      return "tool-calls"
    case null:
    case undefined:
      return "unknown"
    default:
      return "other"
  }
}

export const usageOf = (usage: Usage | null | undefined): typeof Response.Usage.Encoded => {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? undefined
  const input = usage?.prompt_tokens ?? undefined
  return {
    inputTokens: {
      total: input,
      cacheRead: cached,
      uncached: input === undefined ? undefined : input - (cached ?? 0),
      cacheWrite: undefined
    },
    outputTokens: { total: usage?.completion_tokens ?? undefined, text: undefined, reasoning: undefined }
  }
}

/** The parts of a whole (non-streamed) completion. */
export const completionParts = (completion: ChatCompletion): Array<Response.PartEncoded> => {
  const choice = completion.choices[0]
  const text = choice?.message.content ?? choice?.message.refusal ?? ""
  return [
    { type: "response-metadata", id: completion.id, modelId: completion.model },
    { type: "text", text },
    { type: "finish", reason: finishReason(choice?.finish_reason), usage: usageOf(completion.usage) }
  ]
}
