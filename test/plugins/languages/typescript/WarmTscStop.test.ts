/**
 * Ending a warm tsc server whose bwrap never said its sandbox's pid: a stand-in for bwrap that
 * forks a process of its own and never writes its info, as a bwrap stuck in its set-up does.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import { describe, expect, it } from "vitest"
import { launch, stop } from "../../../../plugins/languages/typescript/WarmTsc.ts"

/** Live processes, not zombies, whose command line is exactly `command`. */
const running = (command: string): ReadonlyArray<string> =>
  fs.readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]
      return state !== "Z" && fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim() === command
    } catch {
      return false
    }
  })

describe("WarmTsc stop", () => {
  it("kills the processes a bwrap started before it said its sandbox's pid", async () => {
    // Unique durations name the stand-in's processes.
    const seconds = 4000 + Math.floor(Math.random() * 100_000)
    const [forked, exec] = [`sleep ${seconds}`, `sleep ${seconds + 1}`]
    const server = launch(
      { command: "/bin/sh", args: ["-c", `${forked} & exec ${exec}`] },
      { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      os.tmpdir()
    )
    for (let tries = 0; running(forked).length + running(exec).length < 2 && tries < 100; tries++)
      await new Promise((resolve) => setTimeout(resolve, 20))
    expect(running(forked)).toHaveLength(1)
    await stop(server, true)
    let left = [...running(forked), ...running(exec)]
    for (let tries = 0; left.length > 0 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      left = [...running(forked), ...running(exec)]
    }
    // What a failed run leaves is killed here, not left to the machine.
    for (const pid of left) process.kill(Number(pid), "SIGKILL")
    expect(left).toEqual([])
  }, 20_000)
})
