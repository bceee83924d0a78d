/**
 * Recording and replay of an `AIProvider`. `record(path)` wraps the provider below it and
 * appends every exchange (answers and failures) to a JSONL transcript; `replay(path)` answers
 * from such a transcript without any network, failing with reason `unavailable` for a request
 * it has no record of. Entries with `when` (hand-written) answer the requests one of whose
 * messages contains it, each once in the file's order, the last of them again when all are used.
 */
import { Effect, FileSystem, Layer, Semaphore } from "effect"
import { AIProviderError, ConfigInvalidError } from "../../core/errors.ts"
import { AIProvider, type SendMessageRequest } from "../../core/services/AIProvider.ts"
import { exchangeEntry, recordedResponse } from "./RecordedExchange.ts"
import { decodeEntry, encodeEntry, keyOf, matchesWhen, type TranscriptEntry } from "./Transcript.ts"
import { makeUsageTally } from "./UsageTally.ts"

/** Wraps the `AIProvider` it is provided with; appends each exchange to `path`. */
export const record = (path: string): Layer.Layer<AIProvider, never, AIProvider | FileSystem.FileSystem> =>
  Layer.effect(
    AIProvider,
    Effect.gen(function* () {
      const inner = yield* AIProvider
      const fs = yield* FileSystem.FileSystem
      // Appends from concurrent requests must not interleave within a line.
      const lock = yield* Semaphore.make(1)
      const append = (entry: TranscriptEntry) =>
        lock
          .withPermits(1)(fs.writeFileString(path, `${encodeEntry(entry)}\n`, { flag: "a" }))
          .pipe(Effect.catch((error) => Effect.logWarning("could not record AI exchange", error.message)))
      const sendMessage = Effect.fn("AIProviderRecording.sendMessage")(function* (request: SendMessageRequest) {
        return yield* inner.sendMessage(request).pipe(
          Effect.tap((response) => append(exchangeEntry(inner, request, { response }))),
          Effect.tapError((error) =>
            append(exchangeEntry(inner, request, { error: { reason: error.reason, detail: error.detail } }))
          )
        )
      })
      return AIProvider.of({ ...inner, sendMessage })
    })
  )

/** Answers from the transcript at `path`; the same request asked twice gets its recorded answers in order. */
export const replay = (path: string): Layer.Layer<AIProvider, ConfigInvalidError, FileSystem.FileSystem> =>
  Layer.effect(
    AIProvider,
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const text = yield* fs
        .readFileString(path)
        .pipe(Effect.mapError((error) => new ConfigInvalidError({ source: path, details: error.message })))
      const lines = text.split("\n").filter((line) => line.trim() !== "")
      const entries = yield* Effect.forEach(lines, (line, index) =>
        decodeEntry(line).pipe(
          Effect.mapError((error) => new ConfigInvalidError({ source: `${path}:${index + 1}`, details: error.message }))
        )
      )
      const byKey = new Map<string, Array<TranscriptEntry>>()
      for (const entry of entries) {
        if (entry.when === undefined) byKey.set(entry.key, [...(byKey.get(entry.key) ?? []), entry])
      }
      const written = entries.filter((entry) => entry.when !== undefined)
      const used = new Set<TranscriptEntry>()
      /** The first unused hand-written entry for the request, else the last used one that matches. */
      const byText = (request: SendMessageRequest): TranscriptEntry | undefined => {
        const matching = written.filter((entry) => entry.when !== undefined && matchesWhen(entry.when, request))
        const entry = matching.find((candidate) => !used.has(candidate)) ?? matching.at(-1)
        if (entry !== undefined) used.add(entry)
        return entry
      }
      const served = new Map<string, number>()
      const usage = yield* makeUsageTally
      const first = entries[0]
      const provider = first === undefined ? "replay" : `replay:${first.provider}`

      const sendMessage = Effect.fn("AIProviderReplay.sendMessage")(function* (request: SendMessageRequest) {
        const key = keyOf(request)
        const recorded = byKey.get(key) ?? []
        const index = served.get(key) ?? 0
        // Past the recorded answers, repeat the last one: a rerun may ask once more than the recording did.
        const entry = recorded[Math.min(index, recorded.length - 1)] ?? byText(request)
        if (entry === undefined) {
          return yield* new AIProviderError({
            provider,
            reason: "unavailable",
            detail: `no recorded answer for request ${key} in ${path}`
          })
        }
        served.set(key, index + 1)
        if (entry.response === undefined) {
          return yield* new AIProviderError({
            provider,
            reason: entry.error?.reason ?? "unknown",
            detail: entry.error?.detail ?? "recorded failure"
          })
        }
        const response = recordedResponse(entry.response, request)
        yield* usage.add(response)
        return response
      })
      return AIProvider.of({
        name: provider,
        model: first?.model,
        available: true,
        sendMessage,
        usage: usage.total
      })
    })
  )
