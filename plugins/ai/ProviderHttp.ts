/**
 * The HTTP exchange every provider makes: POST a JSON body, turn a non-2xx answer into a
 * classified `AiError`, and read an SSE body as a stream of events.
 */
import { Effect, Option, Stream } from "effect"
import { AiError } from "effect/ai"
import { Sse } from "effect/encoding"
import { Headers, type HttpClient, HttpClientRequest, type HttpClientResponse } from "effect/http"
import { AnswerLimit, answerTooLarge, limitLines, readLimited, wireBytesFor } from "./AnswerLimit.ts"
import { aiError, type ErrorBodyDecoder, failureOf, fromHttpClientError, invalidResponse } from "./ProviderFailure.ts"

export interface PostOptions {
  readonly client: HttpClient.HttpClient
  /** Names the provider in `AiError.module`. */
  readonly module: string
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** Applied last so a key never sits in a plain record that might be logged. */
  readonly authorize: (request: HttpClientRequest.HttpClientRequest) => HttpClientRequest.HttpClientRequest
  readonly body: unknown
  readonly decodeError: ErrorBodyDecoder
}

/**
 * A 2xx answer, with what writes the request's credentials as `[redacted]` in any of the
 * provider's text that goes into an error (an error event inside a stream).
 */
export interface Answer {
  readonly response: HttpClientResponse.HttpClientResponse
  readonly redact: (text: string) => string
}

/** An error body is read up to this size: only its error type and the start of its message matter. */
const errorBodyBytes = 64 * 1024

/** Sends the request; succeeds only with a 2xx response. */
export const postJson = (options: PostOptions): Effect.Effect<Answer, AiError.AiError> =>
  HttpClientRequest.post(options.url).pipe(
    HttpClientRequest.setHeaders(options.headers),
    options.authorize,
    HttpClientRequest.bodyJson(options.body),
    Effect.mapError((error) =>
      aiError(
        options.module,
        options.method,
        new AiError.NetworkError({
          reason: "EncodeError",
          method: "POST",
          url: options.url,
          description: error.message
        })
      )
    ),
    Effect.flatMap((request) =>
      options.client.execute(request).pipe(
        Effect.mapError(fromHttpClientError(options.module, options.method)),
        Effect.flatMap((response) =>
          response.status >= 200 && response.status < 300
            ? Effect.succeed({ response, redact: (text: string) => withoutCredentials(text, request.headers) })
            : readLimited(response.stream, errorBodyBytes, () => "truncate").pipe(
                Effect.orElseSucceed(() => ""),
                // Some servers quote the credential they refused; the failure is printed and logged.
                Effect.map((body) => withoutCredentials(body, request.headers)),
                Effect.flatMap((body) =>
                  Effect.fail(aiError(options.module, options.method, failureOf(response, body, options.decodeError)))
                )
              )
        )
      )
    )
  )

/** `text` with every credential the request sent (a bearer token, an API key header) written as `[redacted]`. */
const withoutCredentials = (text: string, headers: Headers.Headers): string => {
  const secrets = ["authorization", "x-api-key", "api-key"]
    .flatMap((name) => Option.toArray(Headers.get(headers, name)))
    .flatMap((value) => [value, value.replace(/^\S+\s+/, "")])
    // A short value could stand for ordinary words of the message; keys are long.
    .filter((secret) => secret.length >= 8)
    .sort((a, b) => b.length - a.length)
  return secrets.reduce((out, secret) => out.replaceAll(secret, "[redacted]"), text)
}

/**
 * The body as text, for schemas that decode from a JSON string; refused unread when it declares
 * a length over the answer limit's wire size, and as soon as it grows past it otherwise.
 */
export const bodyText = (
  response: HttpClientResponse.HttpClientResponse,
  module: string,
  method: string
): Effect.Effect<string, AiError.AiError> =>
  Effect.gen(function* () {
    const { maxBytes } = yield* AnswerLimit
    const limit = wireBytesFor(maxBytes)
    const declared = Number(Option.getOrUndefined(Headers.get(response.headers, "content-length")))
    if (Number.isFinite(declared) && declared > limit) {
      // Starting and stopping the read releases the connection now rather than when the response is collected.
      yield* response.stream.pipe(Stream.take(1), Stream.runDrain, Effect.timeoutOption("1 second"), Effect.ignore)
      return yield* answerTooLarge(module, method, `the body declares ${declared} bytes, over ${limit}`)
    }
    return yield* readLimited(response.stream.pipe(Stream.mapError(fromHttpClientError(module, method))), limit, () =>
      Effect.fail(answerTooLarge(module, method, `the body passed ${limit} bytes`))
    )
  })

/** The body as server-sent events; one event line may not outgrow the answer limit's wire size. */
export const sseEvents = (
  response: HttpClientResponse.HttpClientResponse,
  module: string,
  method: string
): Stream.Stream<Sse.Event, AiError.AiError> =>
  Stream.unwrap(
    Effect.map(AnswerLimit, ({ maxBytes }) => {
      const limit = wireBytesFor(maxBytes)
      return response.stream.pipe(
        Stream.mapError(fromHttpClientError(module, method)),
        limitLines(limit, () => answerTooLarge(module, method, `an event line passed ${limit} bytes`)),
        Stream.decodeText(),
        Stream.pipeThroughChannel(Sse.decode()),
        Stream.mapError((error) =>
          error._tag === "AiError"
            ? error
            : invalidResponse(module, method, error._tag === "Retry" ? "unexpected SSE retry directive" : error.message)
        )
      )
    })
  )
