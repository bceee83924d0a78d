import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { maxRunSendDelay, retrySending } from "../../../plugins/cluster/SendRetry.ts"

/** A send that fails until `outage` of the clock has passed, recording when each try ran. */
const failingFor = (outageMs: number) =>
  Effect.gen(function* () {
    const tries: Array<number> = []
    const start = yield* Clock.currentTimeMillis
    const send = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      tries.push(now - start)
      if (now - start < outageMs) return yield* Effect.fail("database down")
      return "sent"
    })
    return { tries, send }
  })

describe("retrySending", () => {
  it.effect("keeps sending through a database outage of minutes, then succeeds", () =>
    Effect.gen(function* () {
      const { tries, send } = yield* failingFor(5 * 60_000)
      const fiber = yield* Effect.forkChild(retrySending(send))
      yield* TestClock.adjust("10 minutes")
      expect(yield* Fiber.join(fiber)).toBe("sent")
      // Backing off: far fewer tries than one every 200 ms, and never more than the cap apart.
      expect(tries.length).toBeLessThan(40)
      for (let i = 1; i < tries.length; i++) {
        expect((tries[i] ?? 0) - (tries[i - 1] ?? 0)).toBeLessThanOrEqual(Duration.toMillis(maxRunSendDelay))
      }
      // Sent within one capped wait of the database coming back.
      expect(tries.at(-1)).toBeLessThanOrEqual(5 * 60_000 + Duration.toMillis(maxRunSendDelay))
    })
  )
})
