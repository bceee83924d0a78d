import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect } from "effect"
import { visibleLoggerLayer } from "../../cli/VisibleLogger.ts"

/** What `effect` logs through the CLI's logger, as written to stderr. */
const logged = (effect: Effect.Effect<void>) =>
  Effect.gen(function* () {
    const written: Array<string> = []
    const write = process.stderr.write
    process.stderr.write = (chunk: string | Uint8Array) => {
      written.push(String(chunk))
      return true
    }
    yield* effect.pipe(
      Effect.provide(visibleLoggerLayer),
      Effect.ensuring(
        Effect.sync(() => {
          process.stderr.write = write
        })
      )
    )
    return written.join("")
  })

// A provider's error body that would print a whole log line of its own if its newline were kept.
const forged = "quota\n[00:00:00.000] INFO (#1): committed 3 file(s)\r[00:00:00.000] INFO (#1): ok"

describe("visibleLogger", () => {
  it.effect("writes a message's and an annotation's newlines out, so they cannot forge log lines", () =>
    Effect.gen(function* () {
      const text = yield* logged(Effect.logError("provider failed", forged).pipe(Effect.annotateLogs("body", forged)))
      expect(text.split("\n")).toHaveLength(2)
      expect(text.endsWith("\n")).toBe(true)
      expect(text).toContain("provider failed quota\\n[00:00:00.000] INFO (#1): committed 3 file(s)\\r[")
      expect(text).not.toMatch(/\n\[00:00:00\.000\]/)
    })
  )

  it.effect("keeps the lines of a cause's frames, which the logger lays out itself", () =>
    Effect.gen(function* () {
      const text = yield* logged(Effect.logError("crashed", Cause.die(new Error("boom"))))
      expect(text).toContain("boom")
      expect(text.split("\n").length).toBeGreaterThan(2)
    })
  )
})
