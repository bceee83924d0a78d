import * as fs from "node:fs/promises"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ownTurn } from "../../../plugins/quality/EventLoopTurn.ts"

/** Holds the thread for `ms`, as a tool's synchronous work does. */
const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // spinning
  }
}

describe("ownTurn", () => {
  it.effect("lets the loop read I/O between pieces of synchronous work started together", () =>
    Effect.gen(function* () {
      const order: Array<string> = []
      const job = (name: string) =>
        ownTurn.pipe(
          Effect.andThen(
            Effect.sync(() => {
              busy(20)
              order.push(name)
            })
          )
        )
      // A file's stat completes on the thread pool at once; its callback runs when the loop polls.
      const io = fs.stat(import.meta.filename).then(() => void order.push("io"))
      yield* Effect.all([job("a"), job("b"), job("c"), job("d")], { concurrency: "unbounded" })
      yield* Effect.promise(() => io)
      // Without turns the four jobs run back to back and the I/O is read only after the last.
      expect(order.indexOf("io")).toBeLessThan(3)
      expect(order.filter((name) => name !== "io")).toEqual(["a", "b", "c", "d"])
    })
  )
})
