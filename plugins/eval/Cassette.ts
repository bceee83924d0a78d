/**
 * The model of one evaluated task: replayed from its cassette, recorded into it, or live. Every
 * mode goes through a watch that counts the time spent waiting for answers; in replay, a request
 * the cassette does not hold fails the task loudly and never reaches a live model.
 */
import * as fs from "node:fs/promises"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { Effect, Layer, Ref } from "effect"
import { ProviderConfig } from "../../core/domain/Config.ts"
import { AIProviderError, ConfigInvalidError } from "../../core/errors.ts"
import { AIProvider, type SendMessageRequest } from "../../core/services/AIProvider.ts"
import * as AIProviderRecording from "../ai/AIProviderRecording.ts"
import { decodeEntry, keyOf, lastUserText, matchesWhen } from "../ai/Transcript.ts"

export type CassetteMode = "replay" | "record" | "live"

/** What the watch saw of one task's model calls. */
export interface ModelWatch {
  /** Requests the cassette held no answer for (replay), each a short excerpt of its last user message. */
  readonly misses: Ref.Ref<ReadonlyArray<string>>
  /** Milliseconds spent waiting for answers, summed over calls. */
  readonly waitMs: Ref.Ref<number>
}

/** Whether the cassette at `file` answers a request: by its exact key, or by a hand-written entry's `when`. */
export const cassetteMatcher = Effect.fn("Eval.cassetteMatcher")(function* (file: string) {
  const text = yield* Effect.tryPromise({
    try: () => fs.readFile(file, "utf8"),
    catch: (error) => new ConfigInvalidError({ source: file, details: String(error) })
  })
  const entries = yield* Effect.forEach(
    text.split("\n").flatMap((line, index) => (line.trim() === "" ? [] : [{ line, index }])),
    ({ line, index }) =>
      decodeEntry(line).pipe(
        Effect.mapError((error) => new ConfigInvalidError({ source: `${file}:${index + 1}`, details: error.message }))
      )
  )
  const keys = new Set(entries.filter((entry) => entry.when === undefined).map((entry) => entry.key))
  const whens = entries.flatMap((entry) => (entry.when === undefined ? [] : [entry.when]))
  return (request: SendMessageRequest): boolean => {
    return keys.has(keyOf(request)) || whens.some((when) => matchesWhen(when, request))
  }
})

const excerpt = (request: SendMessageRequest): string => {
  const line =
    lastUserText(request)
      .split("\n")
      .find((text) => text.trim() !== "") ?? ""
  return line.length > 120 ? `${line.slice(0, 120)}…` : line
}

/** Wraps the provider below it: times each call, and refuses what `holds` says the cassette lacks. */
const watched = (watch: ModelWatch, holds: ((request: SendMessageRequest) => boolean) | undefined) =>
  Layer.effect(
    AIProvider,
    Effect.gen(function* () {
      const inner = yield* AIProvider
      const sendMessage = Effect.fn("Eval.sendMessage")(function* (request: SendMessageRequest) {
        if (holds !== undefined && !holds(request)) {
          const what = excerpt(request)
          yield* Ref.update(watch.misses, (misses) => [...misses, what])
          return yield* new AIProviderError({
            provider: inner.name,
            reason: "unavailable",
            detail: `the cassette holds no answer for request ${keyOf(request)} (${what})`
          })
        }
        const start = performance.now()
        return yield* inner
          .sendMessage(request)
          .pipe(Effect.ensuring(Effect.suspend(() => Ref.update(watch.waitMs, (ms) => ms + performance.now() - start))))
      })
      return AIProvider.of({ ...inner, sendMessage })
    })
  )

/**
 * The provider layer of a task in `mode`, and its watch. `aiLayer` is the CLI's own (live and
 * recording go through the same provider chain as `generate`). Recording starts a fresh cassette.
 */
export const taskModel = Effect.fn("Eval.taskModel")(function* (
  cassette: string,
  mode: CassetteMode,
  provider: ProviderConfig,
  aiLayer: (provider: ProviderConfig) => Layer.Layer<AIProvider, ConfigInvalidError>
) {
  const watch: ModelWatch = { misses: yield* Ref.make<ReadonlyArray<string>>([]), waitMs: yield* Ref.make(0) }
  if (mode === "replay") {
    const holds = yield* cassetteMatcher(cassette)
    const layer = watched(watch, holds).pipe(
      Layer.provide(AIProviderRecording.replay(cassette).pipe(Layer.provide(NodeFileSystem.layer)))
    )
    return { layer, watch }
  }
  if (mode === "record") {
    yield* Effect.tryPromise({
      try: () => fs.writeFile(cassette, ""),
      catch: (error) => new ConfigInvalidError({ source: cassette, details: String(error) })
    })
  }
  // Only the task's own cassette is written; a transcript of the user's config is not replayed here.
  const chosen = new ProviderConfig({
    ...provider,
    replay: undefined,
    record: mode === "record" ? cassette : undefined
  })
  const layer = watched(watch, undefined).pipe(Layer.provide(aiLayer(chosen)))
  return { layer, watch }
})
