/**
 * A transcript: request/response pairs of an `AIProvider`, one JSON object a line. Recorded
 * from a real run, replayed offline so that a run and a test are reproducible.
 */
import { createHash } from "node:crypto"
import { Effect, Schema } from "effect"
import { Response } from "effect/ai"
import { AIFailureReason } from "../../core/errors.ts"
import type { SendMessageRequest } from "../../core/services/AIProvider.ts"

export const TranscriptRequest = Schema.Struct({
  messages: Schema.Array(
    Schema.Struct({ role: Schema.Literals(["system", "user", "assistant"]), content: Schema.String })
  ),
  maxTokens: Schema.optional(Schema.Number),
  temperature: Schema.optional(Schema.Number)
})

export class TranscriptEntry extends Schema.Class<TranscriptEntry>("@tamma/codegen/TranscriptEntry")({
  /** `keyOf(request)`: what replay matches on. */
  key: Schema.String,
  provider: Schema.String,
  model: Schema.optional(Schema.String),
  request: TranscriptRequest,
  response: Schema.optional(
    Schema.Struct({
      text: Schema.String,
      // Transcripts recorded before the reason was kept replay as "unknown".
      finishReason: Response.FinishReason.pipe(Schema.withDecodingDefaultKey(Effect.succeed("unknown" as const))),
      inputTokens: Schema.Number,
      outputTokens: Schema.Number,
      costUsd: Schema.Number
    })
  ),
  error: Schema.optional(Schema.Struct({ reason: AIFailureReason, detail: Schema.String }))
}) {}

export const encodeEntry = Schema.encodeSync(Schema.fromJsonString(TranscriptEntry))
export const decodeEntry = Schema.decodeUnknownEffect(Schema.fromJsonString(TranscriptEntry))

/** A stable hash of what the model saw: the messages and the sampling settings. */
export const keyOf = (request: SendMessageRequest): string =>
  createHash("sha256")
    .update(
      JSON.stringify({
        messages: request.messages.map((m) => [m.role, m.content]),
        maxTokens: request.maxTokens ?? null,
        temperature: request.temperature ?? null
      })
    )
    .digest("hex")
    .slice(0, 32)
