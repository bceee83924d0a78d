/**
 * The Anthropic Messages wire format: request body, response and stream-event schemas, and
 * their mapping to `effect/ai` response parts.
 */
import { Schema } from "effect"
import type { Response } from "effect/ai"
import type { TextMessage } from "../PromptMessages.ts"
import type { ErrorBodyDecoder } from "../ProviderFailure.ts"

const Usage = Schema.Struct({
  input_tokens: Schema.optional(Schema.NullOr(Schema.Int)),
  output_tokens: Schema.optional(Schema.NullOr(Schema.Int)),
  cache_creation_input_tokens: Schema.optional(Schema.NullOr(Schema.Int)),
  cache_read_input_tokens: Schema.optional(Schema.NullOr(Schema.Int))
})
export type Usage = typeof Usage.Type

const ContentBlock = Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })

export const Message = Schema.Struct({
  id: Schema.optional(Schema.String),
  type: Schema.Literal("message"),
  model: Schema.optional(Schema.String),
  content: Schema.Array(ContentBlock),
  stop_reason: Schema.optional(Schema.NullOr(Schema.String)),
  usage: Schema.optional(Usage)
})
export type Message = typeof Message.Type

const ErrorDetail = Schema.Struct({ type: Schema.String, message: Schema.optional(Schema.String) })

/** The events of a streamed message; unknown event types (`ping`, future ones) decode as `other`. */
export const StreamEvent = Schema.Union([
  Schema.Struct({
    type: Schema.Literal("message_start"),
    message: Schema.Struct({
      id: Schema.optional(Schema.String),
      model: Schema.optional(Schema.String),
      usage: Schema.optional(Usage)
    })
  }),
  Schema.Struct({ type: Schema.Literal("content_block_start"), index: Schema.Int, content_block: ContentBlock }),
  Schema.Struct({
    type: Schema.Literal("content_block_delta"),
    index: Schema.Int,
    delta: Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })
  }),
  Schema.Struct({ type: Schema.Literal("content_block_stop"), index: Schema.Int }),
  Schema.Struct({
    type: Schema.Literal("message_delta"),
    delta: Schema.Struct({ stop_reason: Schema.optional(Schema.NullOr(Schema.String)) }),
    usage: Schema.optional(Usage)
  }),
  Schema.Struct({ type: Schema.Literal("message_stop") }),
  Schema.Struct({ type: Schema.Literal("error"), error: ErrorDetail }),
  Schema.Struct({ type: Schema.Literals(["ping"]) })
])
export type StreamEvent = typeof StreamEvent.Type

const ErrorBody = Schema.Struct({ type: Schema.Literal("error"), error: ErrorDetail })
const decodeErrorBody = Schema.decodeUnknownOption(Schema.fromJsonString(ErrorBody))

export const decodeError: ErrorBodyDecoder = (body) => {
  const decoded = decodeErrorBody(body)
  return decoded._tag === "None"
    ? {}
    : { errorType: decoded.value.error.type, message: decoded.value.error.message ?? undefined }
}

export const decodeMessage = Schema.decodeUnknownEffect(Schema.fromJsonString(Message))
export const decodeStreamEvent = Schema.decodeUnknownEffect(Schema.fromJsonString(StreamEvent))

/** The API version this client speaks. */
export const apiVersion = "2023-06-01"

export interface RequestSettings {
  readonly model: string
  /** Required by the API. */
  readonly maxTokens: number
  readonly temperature: number | undefined
}

/** System messages go to the top-level `system`; the API wants alternating user/assistant turns. */
export const requestBody = (messages: ReadonlyArray<TextMessage>, settings: RequestSettings, stream: boolean) => {
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n")
  const turns: Array<{ role: "user" | "assistant"; content: string }> = []
  for (const message of messages) {
    if (message.role === "system") continue
    const last = turns[turns.length - 1]
    if (last !== undefined && last.role === message.role) last.content = `${last.content}\n\n${message.content}`
    else turns.push({ role: message.role, content: message.content })
  }
  return {
    model: settings.model,
    max_tokens: settings.maxTokens,
    messages: turns,
    ...(system === "" ? {} : { system }),
    ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
    ...(stream ? { stream: true } : {})
  }
}

export const finishReason = (reason: string | null | undefined): Response.FinishReason => {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop"
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length"
    case "tool_use":
      return "tool-calls"
    case "refusal":
      return "content-filter"
    case "pause_turn":
      return "pause"
    case null:
    case undefined:
      return "unknown"
    default:
      return "other"
  }
}

export const usageOf = (usage: Usage | undefined): typeof Response.Usage.Encoded => {
  const uncached = usage?.input_tokens ?? undefined
  const cacheRead = usage?.cache_read_input_tokens ?? undefined
  const cacheWrite = usage?.cache_creation_input_tokens ?? undefined
  const total = uncached === undefined ? undefined : uncached + (cacheRead ?? 0) + (cacheWrite ?? 0)
  return {
    inputTokens: { uncached, total, cacheRead, cacheWrite },
    outputTokens: { total: usage?.output_tokens ?? undefined, text: undefined, reasoning: undefined }
  }
}

export const messageParts = (message: Message): Array<Response.PartEncoded> => [
  { type: "response-metadata", id: message.id, modelId: message.model },
  {
    type: "text",
    text: message.content
      .filter((block) => block.type === "text")
      .map((block) => block.text ?? "")
      .join("")
  },
  { type: "finish", reason: finishReason(message.stop_reason), usage: usageOf(message.usage) }
]
