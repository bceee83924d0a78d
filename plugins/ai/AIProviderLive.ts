/**
 * `AIProvider` on top of one or more `effect/ai` `LanguageModel`s: a per-request timeout,
 * retries of transient failures (honouring `retry-after`), a fallback chain across
 * providers/models as an `ExecutionPlan`, and token and cost accounting in `usage`.
 */
import { Duration, Effect, ExecutionPlan, Layer, Stream } from "effect"
import type { NonEmptyReadonlyArray } from "effect/Array"
import { type AiError, LanguageModel, Model, Prompt, type Response } from "effect/ai"
import type { HttpClient } from "effect/http"
import { AIProviderError } from "../../core/errors.ts"
import {
  AIProvider,
  type SendMessageRequest,
  type SendMessageResponse,
  TextListener
} from "../../core/services/AIProvider.ts"
import { fromAiError, shouldFallBack } from "./AIFailure.ts"
import { AnswerLimit, defaultMaxAnswerBytes, utf8Bytes } from "./AnswerLimit.ts"
import { GenerationSettings } from "./GenerationSettings.ts"
import { costOf, defaultPrices, type PriceTable } from "./Pricing.ts"
import { defaultRetryPolicy, type RetryPolicy, withRetry } from "./RetryPolicy.ts"
import { makeUsageTally } from "./UsageTally.ts"

/** A provider's model layer, as `Anthropic.model(...)`, `OpenAi.model(...)` return. */
export type ModelLayer = Layer.Layer<
  LanguageModel.LanguageModel | Model.ProviderName | Model.ModelName,
  never,
  HttpClient.HttpClient
>

export interface AIProviderLiveOptions {
  /** Tried in order: the first is the primary, the others the fallback chain. */
  readonly models: NonEmptyReadonlyArray<ModelLayer>
  readonly retry?: RetryPolicy | undefined
  /** Per attempt; an attempt that takes longer fails with reason `timeout` (and is retried). */
  readonly timeout?: Duration.Input | undefined
  /** Use the provider's SSE stream instead of one JSON answer (long answers, proxies that cut idle connections). */
  readonly stream?: boolean | undefined
  readonly prices?: PriceTable | undefined
  /** UTF-8 bytes an answer may reach; a longer one fails with reason `answer-too-large` as it arrives. */
  readonly maxAnswerBytes?: number | undefined
}

interface Answer {
  readonly text: string
  readonly finishReason: Response.FinishReason
  readonly usage: Response.Usage
}

const toPrompt = (request: SendMessageRequest): Prompt.Prompt =>
  Prompt.make(
    request.messages.map((message) =>
      message.role === "system"
        ? { role: "system" as const, content: message.content }
        : message.role === "user"
          ? { role: "user" as const, content: [{ type: "text" as const, text: message.content }] }
          : { role: "assistant" as const, content: [{ type: "text" as const, text: message.content }] }
    )
  )

const tooLarge = (provider: string, maxBytes: number, detail: string) =>
  new AIProviderError({
    provider,
    reason: "answer-too-large",
    detail: `${detail}, over the limit of ${maxBytes} bytes`
  })

const generate = (model: LanguageModel.LanguageModel, prompt: Prompt.Prompt, provider: string, maxBytes: number) =>
  Effect.gen(function* () {
    const response = yield* model.generateText({ prompt })
    // The body was read within a bound of its own; the text itself is held to the exact limit.
    const bytes = utf8Bytes(response.text)
    if (bytes > maxBytes) return yield* tooLarge(provider, maxBytes, `the answer has ${bytes} bytes`)
    const listen = yield* TextListener
    yield* listen({ provider, text: response.text })
    return { text: response.text, finishReason: response.finishReason, usage: response.usage } satisfies Answer
  })

const generateStreamed = (
  model: LanguageModel.LanguageModel,
  prompt: Prompt.Prompt,
  provider: string,
  maxBytes: number
) =>
  Effect.gen(function* () {
    const listen = yield* TextListener
    const chunks: Array<string> = []
    let bytes = 0
    let finish: Response.FinishPart | undefined
    yield* model.streamText({ prompt }).pipe(
      Stream.mapError(fromAiError(provider)),
      Stream.runForEach((part): Effect.Effect<void, AIProviderError> => {
        if (part.type === "text-delta") {
          bytes += utf8Bytes(part.delta)
          // Failing here ends the stream, which drops the connection: nothing more is read.
          if (bytes > maxBytes) return Effect.fail(tooLarge(provider, maxBytes, `the answer passed ${bytes} bytes`))
          chunks.push(part.delta)
          return listen({ provider, text: part.delta })
        }
        if (part.type === "finish") finish = part
        return Effect.void
      })
    )
    return {
      text: chunks.join(""),
      finishReason: finish?.reason ?? "unknown",
      usage: finish?.usage ?? { inputTokens: {}, outputTokens: {} }
    } satisfies Answer
  })

/** Provider failures become `AIProviderError`s; the ones already raised here stay as they are. */
const toProviderError =
  (provider: string) =>
  (error: AiError.AiError | AIProviderError): AIProviderError =>
    error._tag === "AIProviderError" ? error : fromAiError(provider)(error)

export const make = Effect.fnUntraced(function* (options: AIProviderLiveOptions) {
  const [primary, ...fallbacks] = yield* Effect.forEach(options.models, (model) => Layer.build(model))
  // `forEach` keeps the length; the destructuring just cannot prove it.
  if (primary === undefined) return yield* Effect.die("AIProviderLive needs at least one model")
  const policy = options.retry ?? defaultRetryPolicy
  const timeout = Duration.fromInputUnsafe(options.timeout ?? "120 seconds")
  const prices = options.prices ?? defaultPrices
  const maxAnswerBytes = options.maxAnswerBytes ?? defaultMaxAnswerBytes
  const usage = yield* makeUsageTally

  const plan = ExecutionPlan.make(
    { provide: primary },
    ...fallbacks.map((context) => ({ provide: context, while: shouldFallBack }))
  )

  /** One provider: its retries and its timeout. */
  const attempt = (request: SendMessageRequest) =>
    Effect.gen(function* () {
      const model = yield* LanguageModel.LanguageModel
      const provider = yield* Model.ProviderName
      const modelName = yield* Model.ModelName
      const prompt = toPrompt(request)
      const once = (
        options.stream === true
          ? generateStreamed(model, prompt, provider, maxAnswerBytes)
          : generate(model, prompt, provider, maxAnswerBytes).pipe(Effect.mapError(toProviderError(provider)))
      ).pipe(
        Effect.provideService(GenerationSettings, { maxTokens: request.maxTokens, temperature: request.temperature }),
        Effect.provideService(AnswerLimit, { maxBytes: maxAnswerBytes }),
        Effect.timeoutOrElse({
          duration: timeout,
          orElse: () =>
            Effect.fail(
              new AIProviderError({
                provider,
                reason: "timeout",
                detail: `no answer within ${Duration.format(timeout)}`
              })
            )
        }),
        Effect.tapError((error) =>
          Effect.logWarning("AI request failed").pipe(
            Effect.annotateLogs({ provider, model: modelName, reason: error.reason, detail: error.detail })
          )
        )
      )
      const answer = yield* withRetry(policy)(once)
      if (answer.finishReason === "content-filter") {
        return yield* new AIProviderError({ provider, reason: "content-filtered", detail: "the answer was filtered" })
      }
      const input = answer.usage.inputTokens.total ?? 0
      const output = answer.usage.outputTokens.total ?? 0
      const costUsd = costOf(modelName, { input, output }, prices)
      yield* Effect.logDebug("AI request answered").pipe(
        Effect.annotateLogs({ provider, model: modelName, input, output, costUsd, finish: answer.finishReason })
      )
      return {
        text: answer.text,
        finishReason: answer.finishReason,
        inputTokens: input,
        outputTokens: output,
        costUsd
      } satisfies SendMessageResponse
    })

  const sendMessage = Effect.fn("AIProvider.sendMessage")(function* (request: SendMessageRequest) {
    const response = yield* attempt(request).pipe(Effect.withExecutionPlan(plan))
    yield* usage.add(response)
    return response
  })

  const [name, modelId] = yield* Effect.all([Model.ProviderName, Model.ModelName]).pipe(Effect.provideContext(primary))
  return AIProvider.of({ name, model: modelId, available: true, sendMessage, usage: usage.total })
})

/** The `AIProvider` over the given model chain. */
export const layer = (options: AIProviderLiveOptions): Layer.Layer<AIProvider, never, HttpClient.HttpClient> =>
  Layer.effect(AIProvider, make(options))
