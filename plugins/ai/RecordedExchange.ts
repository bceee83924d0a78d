/**
 * What recording and replaying model exchanges share, wherever the records are kept (a JSONL
 * transcript, a cluster's Postgres table): the entry an exchange is recorded as, and the answer
 * a record gives back.
 */
import type { AIFailureReason } from "../../core/errors.ts"
import type { AIProvider, SendMessageRequest, SendMessageResponse } from "../../core/services/AIProvider.ts"
import { estimateTokens, keyOf, TranscriptEntry } from "./Transcript.ts"

/** One exchange with `provider`: its answer, or the reason it failed. */
export const exchangeEntry = (
  provider: Pick<AIProvider["Service"], "name" | "model">,
  request: SendMessageRequest,
  outcome:
    | { readonly response: SendMessageResponse }
    | { readonly error: { readonly reason: AIFailureReason; readonly detail: string } }
): TranscriptEntry =>
  new TranscriptEntry({
    key: keyOf(request),
    provider: provider.name,
    model: provider.model,
    request: {
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      maxTokens: request.maxTokens,
      temperature: request.temperature
    },
    ...("response" in outcome ? { response: { ...outcome.response } } : { error: outcome.error })
  })

/** The answer a recorded response gives to `request`; counts a hand-written entry left out are estimated. */
export const recordedResponse = (
  recorded: NonNullable<TranscriptEntry["response"]>,
  request: SendMessageRequest
): SendMessageResponse => ({
  text: recorded.text,
  finishReason: recorded.finishReason,
  costUsd: recorded.costUsd,
  inputTokens: recorded.inputTokens ?? estimateTokens(request.messages.map((m) => m.content).join("\n")),
  outputTokens: recorded.outputTokens ?? estimateTokens(recorded.text)
})
