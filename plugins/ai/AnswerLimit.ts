/**
 * How large a model's answer may grow. A provider (or anything at its address) can send an
 * endless or huge answer; it is refused while it arrives, so neither memory nor the steps after
 * it (extraction, formatting, checks) ever see it. The AIProvider sets the limit around each call
 * (like `GenerationSettings`) and the provider layers read it where they read bodies.
 */
import { Context, Effect, Stream } from "effect"
import { AiError } from "effect/ai"
import { pinReason } from "./ProviderFailure.ts"

/** The default: far above any source file a model should write in one answer (4 MiB). */
export const defaultMaxAnswerBytes = 4 * 1024 * 1024

export interface AnswerLimitShape {
  /** UTF-8 bytes of the answer's text. */
  readonly maxBytes: number
}

export const AnswerLimit = Context.Reference<AnswerLimitShape>("@tamma/codegen/plugins/ai/AnswerLimit", {
  defaultValue: () => ({ maxBytes: defaultMaxAnswerBytes })
})

/**
 * The most raw bytes read for an answer of `maxBytes`: a JSON body, or one SSE line. JSON escapes
 * make the wire form larger than the text: `\n` and `\"` double a byte, and a server that escapes
 * all but ASCII sends a four-byte emoji as twelve (`\ud83d\ude00`); plus the envelope around it.
 */
export const wireBytesFor = (maxBytes: number): number => maxBytes * 3 + 64 * 1024

/** The failure of an answer over the limit; never retried (the same request would grow as large). */
export const answerTooLarge = (module: string, method: string, detail: string): AiError.AiError =>
  AiError.make({
    module,
    method,
    reason: new AiError.InvalidResponseError({
      description: `the answer is too large: ${detail}`,
      metadata: pinReason("answer-too-large")
    })
  })

/** The UTF-8 size of a text. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8")

/**
 * Reads a whole body, failing as soon as more than `limit` bytes arrived: the rest is never read
 * and the connection is dropped. `onOver` says what to do then: fail, or keep what came (an error
 * body is only ever shown in part).
 */
export const readLimited = <E>(
  body: Stream.Stream<Uint8Array, E>,
  limit: number,
  onOver: () => Effect.Effect<never, E> | "truncate"
): Effect.Effect<string, E> =>
  Effect.gen(function* () {
    const chunks: Array<Uint8Array> = []
    let bytes = 0
    let over = false
    yield* body.pipe(
      Stream.takeWhile((chunk) => {
        if (bytes + chunk.byteLength <= limit) {
          chunks.push(chunk)
          bytes += chunk.byteLength
          return true
        }
        chunks.push(chunk.subarray(0, limit - bytes))
        bytes = limit
        over = true
        return false
      }),
      Stream.runDrain
    )
    if (over) {
      const action = onOver()
      if (action !== "truncate") return yield* action
    }
    return new TextDecoder().decode(Buffer.concat(chunks))
  })

/**
 * Passes a raw SSE body through, failing when a single line (one event's data) grows past
 * `limit` bytes: the SSE decoder holds a line whole until it ends, so an endless one would
 * otherwise grow without bound.
 */
export const limitLines =
  <E>(limit: number, onOver: () => E) =>
  (body: Stream.Stream<Uint8Array, E>): Stream.Stream<Uint8Array, E> =>
    Stream.suspend(() => {
      // Bytes of the line still open at the end of the previous chunk.
      let open = 0
      return body.pipe(
        Stream.mapEffect((chunk) => {
          let start = 0
          for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
            if (open + end - start > limit) return Effect.fail(onOver())
            open = 0
            start = end + 1
          }
          open += chunk.byteLength - start
          return open > limit ? Effect.fail(onOver()) : Effect.succeed(chunk)
        })
      )
    })
