import { spawn } from "node:child_process"
import { describe, expect, it } from "@effect/vitest"
import { groupStartedWithin, startOf, ticksNow } from "../../../../plugins/quality/biome/ProcessGroup.ts"

const leader = () => {
  const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" })
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  return { child, gone }
}

describe("ProcessGroup", () => {
  it("owns a group whose member started while its run lasted, not one led by a later process of the same pid", async () => {
    const { child, gone } = leader()
    const pid = child.pid ?? 0
    const started = startOf(pid)
    expect(started).toBeDefined()
    const from = started ?? 0
    // The run that made it: started with it, ended now.
    expect(groupStartedWithin(pid, from, ticksNow())).toBe(true)
    // A run that was reaped before this process started: the pid was given again, the group is not its.
    expect(groupStartedWithin(pid, 0, from - 1)).toBe(false)
    child.kill("SIGKILL")
    await gone
    // An empty group is nobody's.
    expect(groupStartedWithin(pid, 0, ticksNow())).toBe(false)
    expect(startOf(pid)).toBeUndefined()
  })
})
