/**
 * FinishedJobs: tells a waiting submitter that a job's result was recorded, through Postgres's
 * LISTEN/NOTIFY (the store notifies in the statement that records the result), so `awaitResult`
 * reads the result as soon as it exists instead of on its next poll. A notification can be lost
 * (before the listener is up, or while its connection is down), so waiters still look now and
 * then on their own.
 */
import { PgClient } from "@effect/sql-pg"
import { Context, Deferred, Duration, Effect, Layer, PubSub, Queue, Schedule, type Scope } from "effect"

/** The channel the store notifies on; the payload is the request id. */
export const finishedChannel = "tamma_job_finished"

/** How often a waiter looks even without a notification. */
export const fallbackLook = Duration.seconds(1)

export class FinishedJobs extends Context.Service<
  FinishedJobs,
  {
    /**
     * Starts listening for `requestId`; the returned effect completes on the first notification
     * for it after this subscription (subscribe before reading the result, so none falls between).
     */
    readonly subscribe: (requestId: string) => Effect.Effect<Effect.Effect<void>, never, Scope.Scope>
  }
>()("@tamma/codegen/cluster/FinishedJobs") {
  /** One listening connection per process, shared by every waiter. */
  static readonly layer = Layer.effect(
    FinishedJobs,
    Effect.gen(function* () {
      const pg = yield* PgClient.PgClient
      const finished = yield* PubSub.unbounded<string>()
      const listening = yield* Deferred.make<void>()
      // Re-listens after a lost connection; meanwhile waiters fall back to looking.
      yield* Effect.scoped(
        Effect.gen(function* () {
          const notifications = yield* pg.listen(finishedChannel)
          yield* Deferred.succeed(listening, undefined)
          yield* Effect.forever(
            Effect.flatMap(Queue.take(notifications), (notice) => PubSub.publish(finished, notice.payload))
          )
        })
      ).pipe(
        Effect.catchCause((cause) => Effect.logDebug("finished jobs: listening stopped", cause)),
        Effect.repeat(Schedule.spaced(fallbackLook)),
        Effect.forkScoped
      )
      // Ready once Postgres confirmed the LISTEN, so a result recorded after this is heard; a
      // server that never confirms (a pooler without LISTEN) leaves waiters to their own looks.
      yield* Effect.timeoutOption(Deferred.await(listening), Duration.seconds(2))
      return FinishedJobs.of({
        subscribe: (requestId) =>
          Effect.map(PubSub.subscribe(finished), (subscription) =>
            PubSub.take(subscription).pipe(Effect.repeat({ until: (payload) => payload === requestId }), Effect.asVoid)
          )
      })
    })
  )
}
