/**
 * How a workflow sends its job's `Run` call again after the sending failed. The call is stored
 * and keyed by the request id, so sending it again is safe; giving up would end the workflow with
 * its job `running` and no result, so it tries until it gets through (or is interrupted), waiting
 * longer each time, at most `maxRunSendDelay` between tries.
 */
import { Duration, Effect, Schedule } from "effect"

/** The longest wait between two tries: a database back after an outage is used within it. */
export const maxRunSendDelay = Duration.seconds(30)

const runSendSchedule = Schedule.exponential("200 millis").pipe(
  Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, maxRunSendDelay)))
)

/** `send`, tried again after each failure until it succeeds or the caller is interrupted. */
export const retrySending = <A, E, R>(send: Effect.Effect<A, E, R>): Effect.Effect<A, never, R> =>
  send.pipe(
    Effect.tapError((error) => Effect.logWarning("cluster: sending a job's run failed; trying again", error)),
    Effect.retry(runSendSchedule),
    // The schedule never ends, so no failure is left: this only gives the type its `never`.
    Effect.orDie
  )
