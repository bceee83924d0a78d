import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as ToolThread from "../../../../plugins/quality/thread/ToolThread.ts"

const slow = () =>
  ToolThread.make<{ readonly ms: number }, number>({
    name: "Slow",
    entry: new URL("./SlowWorker.ts", import.meta.url),
    result: Schema.Number
  })

const abortAfter = (ms: number) => {
  const controller = new AbortController()
  setTimeout(() => controller.abort(), ms)
  return controller.signal
}

describe("ToolThread", () => {
  it("gives up a request at once when its caller does, and stops the thread working for nobody", async () => {
    const thread = slow()
    const first = await thread.request({ ms: 0 })
    const started = Date.now()
    await expect(thread.request({ ms: 20_000 }, abortAfter(200))).rejects.toThrow("the Slow request was abandoned")
    expect(Date.now() - started).toBeLessThan(2_000)
    // Were the old thread still busy, this would wait 20 s behind it: a new thread answers instead.
    const next = await thread.request({ ms: 0 })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(next).not.toBe(first)
    await thread.terminate()
  }, 30_000)

  it("keeps the thread while another caller still waits on it", async () => {
    const thread = slow()
    const first = await thread.request({ ms: 0 })
    const abandoned = thread.request({ ms: 500 }, abortAfter(100))
    const waiting = thread.request({ ms: 0 })
    await expect(abandoned).rejects.toThrow("abandoned")
    expect(await waiting).toBe(first)
    await thread.terminate()
  }, 30_000)

  it("terminate fails what the thread owed, and the next request starts another", async () => {
    const thread = slow()
    const first = await thread.request({ ms: 0 })
    const owed = thread.request({ ms: 20_000 })
    await thread.terminate()
    await expect(owed).rejects.toThrow("the Slow thread exited")
    expect(await thread.request({ ms: 0 })).not.toBe(first)
    await thread.terminate()
  }, 30_000)
})
