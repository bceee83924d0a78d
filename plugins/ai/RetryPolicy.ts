/**
 * Retrying transient provider failures: exponential backoff with jitter, except that a
 * server's `retry-after` wins (capped, so a provider cannot park a run for an hour).
 * `Schedule` knows nothing of `retry-after`, so the delay is rewritten from the failed input.
 */
import { Duration, Effect, Schedule } from "effect"
import type { AIProviderError } from "../../core/errors.ts"

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number
  readonly baseDelay: Duration.Input
  readonly maxDelay: Duration.Input
  /** The longest `retry-after` honoured; a longer one is cut to this. */
  readonly maxRetryAfter: Duration.Input
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelay: "500 millis",
  maxDelay: "20 seconds",
  maxRetryAfter: "60 seconds"
}

/** The delay before the next attempt, given the failure that just happened. */
export const delayAfter = (
  policy: RetryPolicy,
  error: AIProviderError,
  backoff: Duration.Duration
): Duration.Duration => {
  if (error.retryAfterMs !== undefined) {
    return Duration.min(Duration.millis(error.retryAfterMs), Duration.fromInputUnsafe(policy.maxRetryAfter))
  }
  return Duration.min(backoff, Duration.fromInputUnsafe(policy.maxDelay))
}

export const retrySchedule = (policy: RetryPolicy): Schedule.Schedule<Duration.Duration, AIProviderError> =>
  Schedule.exponential(policy.baseDelay).pipe(
    Schedule.jittered,
    Schedule.setInputType<AIProviderError>(),
    Schedule.modifyDelay(({ input, duration }) => Effect.succeed(delayAfter(policy, input, duration)))
  )

/** Retries `effect` while it fails with a retryable reason, at most `maxRetries` times. */
export const withRetry =
  (policy: RetryPolicy) =>
  <A, R>(effect: Effect.Effect<A, AIProviderError, R>): Effect.Effect<A, AIProviderError, R> =>
    policy.maxRetries <= 0
      ? effect
      : Effect.retry(effect, {
          schedule: retrySchedule(policy),
          times: policy.maxRetries,
          while: (error) => error.isRetryable
        })
