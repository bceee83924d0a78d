/**
 * ModelAnswers: every model exchange of a job kept in Postgres, keyed by the job's request id,
 * the transcript key of what the model saw, and how many times the run had asked it before. A
 * job resumed on another worker answers from these first and asks the model only for what it
 * lacks, so an answer already paid for is not paid for twice.
 */
import { Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { TokenUsage } from "../../core/domain/Result.ts"
import { AIProvider, type SendMessageRequest, TextListener } from "../../core/services/AIProvider.ts"
import { exchangeEntry, recordedResponse } from "../ai/RecordedExchange.ts"
import { decodeEntry, encodeEntry, keyOf, type TranscriptEntry } from "../ai/Transcript.ts"
import { makeUsageTally } from "../ai/UsageTally.ts"

/** The table, created by the worker's migrations. */
export const createModelAnswersTable = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE tamma_model_answers (
    request_id TEXT NOT NULL,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entry TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (request_id, key, seq)
  )`
})

const decodeRows = Schema.decodeUnknownEffect(Schema.Array(Schema.Struct({ entry: Schema.String })))

/** The answers recorded for a job, oldest first: what a test or an operator reads. */
export const recordedEntries = (requestId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* Effect.flatMap(
      sql`SELECT entry FROM tamma_model_answers WHERE request_id = ${requestId} ORDER BY recorded_at, key, seq`,
      decodeRows
    )
    return yield* Effect.forEach(rows, (row) => decodeEntry(row.entry))
  })

/**
 * Wraps the `AIProvider` it is provided with for the job `requestId`: a request the job already
 * had answered (the same messages, asked as many times before) gets the recorded answer; any
 * other goes to the model, and its answer is recorded. Failures are not recorded: a resumed job
 * asks again. The store failing only costs a live call, never the job.
 */
export const recordedAnswers = (requestId: string): Layer.Layer<AIProvider, never, AIProvider | SqlClient.SqlClient> =>
  Layer.effect(
    AIProvider,
    Effect.gen(function* () {
      const inner = yield* AIProvider
      const sql = yield* SqlClient.SqlClient
      // How often this run has asked each request so far: the n-th asking matches the n-th record.
      const asked = new Map<string, number>()
      const replayedUsage = yield* makeUsageTally

      const lookup = (key: string, seq: number) =>
        Effect.flatMap(
          sql`SELECT entry FROM tamma_model_answers
            WHERE request_id = ${requestId} AND key = ${key} AND seq = ${seq}`,
          decodeRows
        ).pipe(
          Effect.flatMap((rows) =>
            rows[0] === undefined ? Effect.succeed(Option.none()) : Effect.map(decodeEntry(rows[0].entry), Option.some)
          ),
          Effect.catch((error) =>
            Effect.as(Effect.logWarning("could not read a recorded model answer", String(error)), Option.none())
          )
        )

      const save = (key: string, seq: number, entry: TranscriptEntry) =>
        sql`INSERT INTO tamma_model_answers (request_id, key, seq, entry)
          VALUES (${requestId}, ${key}, ${seq}, ${encodeEntry(entry)}) ON CONFLICT DO NOTHING`.pipe(
          Effect.asVoid,
          Effect.catch((error) => Effect.logWarning("could not record a model answer", String(error)))
        )

      const sendMessage = Effect.fn("ModelAnswers.sendMessage")(function* (request: SendMessageRequest) {
        const key = keyOf(request)
        const seq = asked.get(key) ?? 0
        asked.set(key, seq + 1)
        const recorded = Option.flatMapNullishOr(yield* lookup(key, seq), (entry) => entry.response)
        if (Option.isSome(recorded)) {
          // Recorded from live answers, whose counts are always there.
          const response = recordedResponse(recorded.value, request)
          yield* replayedUsage.add(response)
          // Whoever follows the run's text sees a recorded answer as it would a live one.
          yield* (yield* TextListener)({ provider: inner.name, text: response.text })
          return response
        }
        const response = yield* inner.sendMessage(request)
        yield* save(key, seq, exchangeEntry(inner, request, { response }))
        return response
      })

      return AIProvider.of({
        ...inner,
        sendMessage,
        // A recorded answer counts in the run's usage as it did when it was paid for.
        usage: Effect.gen(function* () {
          const live = yield* inner.usage
          const replayed = yield* replayedUsage.total
          return new TokenUsage({
            input: live.input + replayed.input,
            output: live.output + replayed.output,
            calls: live.calls + replayed.calls,
            costUsd: live.costUsd + replayed.costUsd
          })
        })
      })
    })
  )
