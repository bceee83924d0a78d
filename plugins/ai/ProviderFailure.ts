/**
 * How the provider layers turn an HTTP failure into an `AiError`. Shared by every wire protocol:
 * the status says most of it, the provider's error type and code say the rest (overloaded,
 * prompt too long, quota), and `retry-after` becomes the `RateLimitError`'s `retryAfter`.
 */
import { Duration, Option } from "effect"
import { AiError } from "effect/ai"
import { Headers, type HttpClientError, type HttpClientResponse } from "effect/http"
import type { AIFailureReason } from "../../core/errors.ts"

/**
 * Metadata key under which a provider pins the exact `AIFailureReason` where it makes the
 * failure, when the `AiError` reason classes are coarser than ours (overloaded vs. other 5xx,
 * prompt too long vs. other 400, an answer that broke off). `effect/ai`'s `LanguageModel` only
 * lets a provider fail with an `AiError`, and its metadata is the provider's own channel.
 */
export const reasonKey = "tamma"

export const pinReason = (reason: AIFailureReason): AiError.ProviderMetadata => ({ [reasonKey]: { reason } })

/** `retry-after-ms` (OpenAI), then `retry-after` in seconds or as an HTTP date. */
export const retryAfterOf = (headers: Headers.Headers, now: number = Date.now()): Duration.Duration | undefined => {
  const millis = Option.getOrUndefined(Headers.get(headers, "retry-after-ms"))
  if (millis !== undefined && Number.isFinite(Number(millis))) return Duration.millis(Math.max(0, Number(millis)))
  const value = Option.getOrUndefined(Headers.get(headers, "retry-after"))
  if (value === undefined) return undefined
  const seconds = Number(value)
  if (value.trim() !== "" && Number.isFinite(seconds)) return Duration.millis(Math.max(0, seconds * 1000))
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Duration.millis(Math.max(0, date - now))
}

/** What a provider's error body told us, decoded by the provider's own schema. */
export interface FailureDetails {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: string
  readonly errorType?: string | undefined
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
}

const contextTooLongPattern = /prompt is too long|context[_ ]length|maximum context|too many tokens|context window/i

/** Classifies a non-2xx answer. */
export const reasonFromFailure = (details: FailureDetails): AiError.AiErrorReason => {
  const http = {
    response: { status: details.status, headers: { ...details.headers } },
    body: details.body.slice(0, 2000)
  }
  const description = details.message ?? `HTTP ${details.status}`
  const tag = `${details.errorType ?? ""} ${details.errorCode ?? ""}`
  if (details.status === 429 && /insufficient_quota|billing/.test(tag)) {
    return new AiError.QuotaExhaustedError({ http })
  }
  if (details.status === 429 || /rate_limit/.test(tag)) {
    return new AiError.RateLimitError({ http, retryAfter: retryAfterOf(details.headers) })
  }
  if (details.status === 529 || details.status === 503 || /overloaded/.test(tag)) {
    return new AiError.InternalProviderError({ http, description, metadata: pinReason("overloaded") })
  }
  if (details.status === 401) return new AiError.AuthenticationError({ kind: "InvalidKey", http, description })
  if (details.status === 403) {
    return new AiError.AuthenticationError({ kind: "InsufficientPermissions", http, description })
  }
  if (details.status === 408 || details.status === 504) {
    return new AiError.InternalProviderError({ http, description, metadata: pinReason("timeout") })
  }
  if (details.status === 413 || /context_length/.test(tag) || contextTooLongPattern.test(details.message ?? "")) {
    return new AiError.InvalidRequestError({ http, description, metadata: pinReason("context-too-long") })
  }
  if (details.status >= 500) {
    return new AiError.InternalProviderError({ http, description, metadata: pinReason("server") })
  }
  if (details.status >= 400 && details.status < 500) return new AiError.InvalidRequestError({ http, description })
  return new AiError.UnknownError({ http, description })
}

export const aiError = (module: string, method: string, reason: AiError.AiErrorReason): AiError.AiError =>
  AiError.make({ module, method, reason })

/** A failure before any answer: connection refused, reset, DNS. */
export const fromHttpClientError =
  (module: string, method: string) =>
  (error: HttpClientError.HttpClientError): AiError.AiError => {
    const reason = error.reason
    switch (reason._tag) {
      case "TransportError":
      case "EncodeError":
      case "InvalidUrlError":
        return aiError(module, method, AiError.NetworkError.fromRequestError(reason))
      default:
        // A body that broke off mid-read: the server went away, so it is worth another try.
        return aiError(
          module,
          method,
          new AiError.InternalProviderError({
            description: `reading the response failed: ${reason.message}`,
            metadata: pinReason("truncated")
          })
        )
    }
  }

/** A 2xx body that did not decode. */
export const invalidResponse = (module: string, method: string, description: string): AiError.AiError =>
  aiError(module, method, new AiError.InvalidResponseError({ description }))

/** A stream that ended before its terminal event: the connection dropped, so it is retried. */
export const truncatedStream = (module: string, method: string, expected: string): AiError.AiError =>
  aiError(
    module,
    method,
    new AiError.InternalProviderError({
      description: `the stream ended before ${expected}`,
      metadata: pinReason("truncated")
    })
  )

/** Reads the status and body of a failed answer so the provider can decode its error type. */
export type ErrorBodyDecoder = (body: string) => {
  readonly errorType?: string | undefined
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
}

export const failureOf = (
  response: HttpClientResponse.HttpClientResponse,
  body: string,
  decode: ErrorBodyDecoder
): AiError.AiErrorReason =>
  reasonFromFailure({ status: response.status, headers: response.headers, body, ...decode(body) })
