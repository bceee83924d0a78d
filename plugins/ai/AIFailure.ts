/**
 * `AiError` → `AIProviderError`, and which failures are worth a fallback (`AIProviderError.isRetryable`
 * says which are worth a retry).
 */
import { Duration, Option, Schema } from "effect"
import type { AiError } from "effect/ai"
import { AIFailureReason, AIProviderError } from "../../core/errors.ts"
import { reasonKey } from "./ProviderFailure.ts"

const Pinned = Schema.Struct({ [reasonKey]: Schema.Struct({ reason: AIFailureReason }) })
const decodePinned = Schema.decodeUnknownOption(Pinned)

const reasonOf = (reason: AiError.AiErrorReason): AIFailureReason => {
  const pinned = "metadata" in reason ? decodePinned(reason.metadata) : Option.none()
  if (Option.isSome(pinned)) return pinned.value[reasonKey].reason
  switch (reason._tag) {
    case "RateLimitError":
      return "rate-limit"
    case "AuthenticationError":
    case "QuotaExhaustedError":
      // Both need a person to act (a key, a bill): retrying cannot help.
      return "auth"
    case "ContentPolicyError":
      return "content-filtered"
    case "InvalidRequestError":
    case "InvalidUserInputError":
      return "bad-request"
    case "InvalidResponseError":
    case "InvalidOutputError":
    case "StructuredOutputError":
      return "invalid-response"
    case "InternalProviderError":
      // An error event in the stream, or a 5xx: the provider's server failed.
      return "server"
    case "NetworkError":
      return reason.reason === "TransportError" ? "unavailable" : "bad-request"
    default:
      return "unknown"
  }
}

export const fromAiError =
  (provider: string) =>
  (error: AiError.AiError): AIProviderError => {
    const retryAfter = error.retryAfter
    return new AIProviderError({
      provider,
      reason: reasonOf(error.reason),
      detail: error.reason.message,
      retryAfterMs: retryAfter === undefined ? undefined : Duration.toMillis(retryAfter)
    })
  }

/**
 * Whether the next provider of a fallback chain should get the request. A malformed request
 * is malformed everywhere; everything else (a bad key, a full context, an outage) may not be.
 */
export const shouldFallBack = (error: AIProviderError): boolean => error.reason !== "bad-request"
