import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import * as NativeVerdict from "../../../../plugins/quality/biome/NativeVerdict.ts"

const owner = path.join(import.meta.dirname, "NativeRunOwner.ts")
const native = NativeVerdict.currentSetup()

/** A live process's state letter and parent, from /proc; undefined once it is gone. */
const stateOf = (pid: string): { readonly state: string; readonly parent: string } | undefined => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const [state = "", parent = ""] = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return { state, parent }
  } catch {
    return undefined
  }
}

/** The processes, not zombies (a zombie holds nothing but its pid), whose command line holds `marker`. */
const holding = (marker: string): ReadonlyArray<string> =>
  fs.readdirSync("/proc").flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return []
    try {
      const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ")
      const state = stateOf(pid)
      return command.includes(marker) && state !== undefined && state.state !== "Z"
        ? [`${pid} (${state.state}, parent ${state.parent}): ${command.slice(0, 80)}`]
        : []
    } catch {
      return []
    }
  })

/** The children of `pid` (the owner's spawner). */
const childrenOf = (pid: number): ReadonlyArray<string> => {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean)
  } catch {
    return []
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits up to `ms` for `done`; whether it came. */
const within = async (ms: number, done: () => boolean): Promise<boolean> => {
  const until = Date.now() + ms
  while (!done()) {
    if (Date.now() > until) return false
    await sleep(50)
  }
  return true
}

/** The next line `child` prints that is `line`. */
const printed = (child: ChildProcess, line: string) =>
  new Promise<void>((resolve, reject) => {
    let text = ""
    const seen = (chunk: Buffer) => {
      text += chunk.toString("utf8")
      if (!text.split("\n").includes(line)) return
      child.stdout?.off("data", seen)
      resolve()
    }
    child.stdout?.on("data", seen)
    child.once("exit", () => reject(new Error(`ended before it printed ${line}`)))
  })

/**
 * Starts an owner of native runs, kills it with SIGKILL `delay` ms after its first run was asked
 * for (or after its first answer), and gives what is left of its runs once they are gone or 5 s
 * passed.
 */
const killOwner = async (marker: string, moment: number | "answered") => {
  const child = spawn(process.execPath, [owner, marker], { stdio: ["ignore", "pipe", "ignore"] })
  try {
    await printed(child, moment === "answered" ? "answered" : "asked")
    if (moment !== "answered") await sleep(moment)
    const spawners = childrenOf(child.pid ?? 0)
    const running = holding(marker).length
    const exited = new Promise((resolve) => child.once("exit", resolve))
    child.kill("SIGKILL")
    await exited
    const killed = Date.now()
    // Gone in well under a second on an idle machine; the bound leaves room for a loaded one.
    const gone = await within(5000, () => holding(marker).length === 0)
    const spawnerGone = await within(5000, () => spawners.every((pid) => (stateOf(pid)?.state ?? "Z") === "Z"))
    return { running, gone, left: holding(marker), spawnerGone, spawners, ms: Date.now() - killed }
  } finally {
    child.kill("SIGKILL")
  }
}

describe("NativeSpawner", () => {
  it.skipIf(native === undefined)(
    "leaves no bubblewrap or Biome process behind when its owner is killed at any moment of a run",
    async () => {
      // Killed as the first (warm-up) run starts, while bubblewrap sets up its sandboxes, and while
      // later runs go; owners side by side, so that on a busy machine some kill lands in the
      // moment between bubblewrap's fork and its word to the sandbox (where 3 in 12 were left
      // forever before the spawner killed runs by process group).
      const moments: ReadonlyArray<number | "answered"> = [0, 2, 5, 8, 12, 20, 35, "answered"]
      const tag = `spawner-owner-${process.pid}-${Date.now()}`
      const outcomes = await Promise.all(moments.map((moment, index) => killOwner(`${tag}-${index}`, moment)))
      for (const [index, outcome] of outcomes.entries()) {
        // The spawner saw its owner end and ended too.
        const { left, spawners, spawnerGone } = outcome
        expect({ moment: moments[index], left, spawners: spawners.length, spawnerGone }).toEqual({
          moment: moments[index],
          left: [],
          spawners: 1,
          spawnerGone: true
        })
        expect(outcome.gone).toBe(true)
      }
      // Some owner was killed with runs going: the kills did hit runs.
      expect(outcomes.some((outcome) => outcome.running > 0)).toBe(true)
    },
    90_000
  )
})
