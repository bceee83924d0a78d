/**
 * The HTTP exchange every provider makes: POST a JSON body, turn a non-2xx answer into a
 * classified `AiError`, and read an SSE body as a stream of events.
 */
import { Effect, Stream } from "effect"
import { AiError } from "effect/ai"
import { Sse } from "effect/encoding"
import { type HttpClient, HttpClientRequest, type HttpClientResponse } from "effect/http"
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

/** Sends the request; succeeds only with a 2xx response. */
export const postJson = (options: PostOptions): Effect.Effect<HttpClientResponse.HttpClientResponse, AiError.AiError> =>
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
      options.client.execute(request).pipe(Effect.mapError(fromHttpClientError(options.module, options.method)))
    ),
    Effect.flatMap((response) =>
      response.status >= 200 && response.status < 300
        ? Effect.succeed(response)
        : response.text.pipe(
            Effect.orElseSucceed(() => ""),
            Effect.flatMap((body) =>
              Effect.fail(aiError(options.module, options.method, failureOf(response, body, options.decodeError)))
            )
          )
    )
  )

/** The body as text, for schemas that decode from a JSON string. */
export const bodyText = (
  response: HttpClientResponse.HttpClientResponse,
  module: string,
  method: string
): Effect.Effect<string, AiError.AiError> => response.text.pipe(Effect.mapError(fromHttpClientError(module, method)))

/** The body as server-sent events. */
export const sseEvents = (
  response: HttpClientResponse.HttpClientResponse,
  module: string,
  method: string
): Stream.Stream<Sse.Event, AiError.AiError> =>
  response.stream.pipe(
    Stream.mapError(fromHttpClientError(module, method)),
    Stream.decodeText(),
    Stream.pipeThroughChannel(Sse.decode()),
    Stream.mapError((error) =>
      error._tag === "AiError"
        ? error
        : invalidResponse(module, method, error._tag === "Retry" ? "unexpected SSE retry directive" : error.message)
    )
  )
