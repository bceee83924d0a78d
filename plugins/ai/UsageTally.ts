/**
 * The calls, tokens and cost a provider has used, counted as answers come: a live answer, or one
 * given from a record, which counts as the call it was when it was paid for.
 */
import { Effect, Ref } from "effect"
import { TokenUsage } from "../../core/domain/Result.ts"
import type { SendMessageResponse } from "../../core/services/AIProvider.ts"

/** `total` with one more call of `response`'s tokens and cost. */
const addCall = (total: TokenUsage, response: SendMessageResponse): TokenUsage =>
  new TokenUsage({
    input: total.input + response.inputTokens,
    output: total.output + response.outputTokens,
    calls: total.calls + 1,
    costUsd: total.costUsd + response.costUsd
  })

/** A running count of calls, tokens and cost, from zero. */
export const makeUsageTally = Effect.gen(function* () {
  const usage = yield* Ref.make(new TokenUsage({ input: 0, output: 0, calls: 0, costUsd: 0 }))
  return {
    add: (response: SendMessageResponse) => Ref.update(usage, (total) => addCall(total, response)),
    total: Ref.get(usage)
  }
})
