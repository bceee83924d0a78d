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
  /** `keyOf(request)`: what replay matches on. A hand-written entry may leave it out and give `when`. */
  key: Schema.String.pipe(Schema.withDecodingDefaultKey(Effect.succeed(""))),
  /**
   * Hand-written entries: answers a request one of whose messages contains this text, when no
   * entry has its exact key (a person cannot know the hash of a prompt the pipeline builds).
   */
  when: Schema.optional(Schema.String),
  provider: Schema.String.pipe(Schema.withDecodingDefaultKey(Effect.succeed("hand-written"))),
  model: Schema.optional(Schema.String),
  request: TranscriptRequest.pipe(Schema.withDecodingDefaultKey(Effect.succeed({ messages: [] }))),
  response: Schema.optional(
    Schema.Struct({
      text: Schema.String,
      // Transcripts recorded before the reason was kept replay as "unknown".
      finishReason: Response.FinishReason.pipe(Schema.withDecodingDefaultKey(Effect.succeed("unknown" as const))),
      // Left out of a hand-written entry, the counts are estimated from the text on replay.
      inputTokens: Schema.optional(Schema.Number),
      outputTokens: Schema.optional(Schema.Number),
      costUsd: Schema.Number.pipe(Schema.withDecodingDefaultKey(Effect.succeed(0)))
    })
  ),
  error: Schema.optional(Schema.Struct({ reason: AIFailureReason, detail: Schema.String }))
}) {}

export const encodeEntry = Schema.encodeSync(Schema.fromJsonString(TranscriptEntry))
export const decodeEntry = Schema.decodeUnknownEffect(Schema.fromJsonString(TranscriptEntry))

/** Four characters a token: the estimate for a hand-written answer that gives no counts. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

/** The text of the last user message of a request: how a request is named in a report. */
export const lastUserText = (request: SendMessageRequest): string =>
  request.messages.findLast((message) => message.role === "user")?.content ?? ""

/** Whether a hand-written entry's `when` answers `request`: one of its messages contains it. */
export const matchesWhen = (when: string, request: SendMessageRequest): boolean =>
  request.messages.some((message) => message.content.includes(when))

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
