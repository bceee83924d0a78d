/**
 * Kill -9 at many moments of a large apply (journal, atomic writes, branch, commit), and where
 * the journal has just noted a step, until every phase of its journal was hit and a time budget
 * is spent (within a cap); after recovery the workspace is
 * exactly as before the run or exactly as after it, git agrees (HEAD, branch, index,
 * `git fsck`), and no journal is left.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as readline from "node:readline"
import { Effect, Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { recoverWorkspace } from "../../core/pipeline/Recovery.ts"
import { NodeFiles } from "../../plugins/files/node/NodeFiles.ts"
import { IsomorphicGit } from "../../plugins/git/isomorphic-git/IsomorphicGit.ts"
import { changeSet, initialFiles } from "./ChangeSet.ts"
import {
  folders,
  git,
  gitResult,
  makeRepository,
  nodeBin,
  project,
  removeFolder,
  resetRepository,
  snapshot
} from "./Workspace.ts"

const fileCount = 200
// Two workspaces killed in parallel (one per core). Each is killed at least `minKills` times,
// then on while the budget lasts, and on until every phase was hit (at most `maxKills` times):
// a loaded machine does fewer kills, not a longer test, and no phase goes untested. Past
// `capMs` no kill starts: the test fails, naming the phases never hit, well within its timeout.
const minKills = Number(process.env.TAMMA_CRASH_MIN_KILLS ?? 25)
const maxKills = Number(process.env.TAMMA_CRASH_KILLS ?? 105)
const budgetMs = Number(process.env.TAMMA_CRASH_BUDGET_MS ?? 30_000)
const capMs = Number(process.env.TAMMA_CRASH_CAP_MS ?? 150_000)
const childScript = nodePath.join(project, "test", "safety", "ApplyChild.ts")
const cli = nodePath.join(project, "cli", "bin.ts")
const compileCache = fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-compile-cache-"))
const made: Array<string> = [compileCache]
/** Every child started and not exited yet: none may be left when the kills end. */
const live = new Set<ChildProcess>()

afterAll(() => {
  for (const child of live) child.kill("SIGKILL")
  for (const dir of made) removeFolder(dir)
})

const sorted = (files: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)))
const before = sorted(initialFiles(fileCount))
const after = (() => {
  const files: Record<string, string> = { ...before }
  for (const [path, content] of changeSet(fileCount)) {
    if (content === undefined) delete files[path]
    else files[path] = content
  }
  return sorted(files)
})()

/** Where the apply was when it was killed, in its order, as its journal on disk says. */
const phases = ["unjournaled", "journaled", "branched", "committed", "recorded"] as const
type Phase = (typeof phases)[number]
/**
 * The phases the kills must hit. `committed` (the commit noted, its record not yet written) lasts
 * a few milliseconds, less than a kill's timing varies under load (seeking it took 180 s at load
 * 13): the child is also stopped, and killed, right after the journal notes the branch and the
 * commit.
 */
const required: ReadonlyArray<Phase> = phases
/** The first steps of each workspace kill where the child pauses, not at a time. */
const paused: ReadonlyArray<Phase> = ["branched", "committed"]

const entries = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : [])

/** The phase a killed apply left `dir` in, read before recovery. */
const phaseOf = (dir: string): Phase => {
  const tamma = nodePath.join(dir, ".tamma")
  if (entries(nodePath.join(tamma, "runs")).some((name) => name.endsWith(".json"))) return "recorded"
  const journals = nodePath.join(tamma, "journal")
  const open = entries(journals).filter((run) => fs.existsSync(nodePath.join(journals, run, "journal.json")))
  if (open.length === 0) return "unjournaled"
  const notes = nodePath.join(journals, open[0] ?? "", "notes.json")
  const text = fs.existsSync(notes) ? fs.readFileSync(notes, "utf8") : "[]"
  if (text.includes('"Commit"')) return "committed"
  return text.includes('"Branch"') ? "branched" : "journaled"
}

/** The `k`th point of the van der Corput sequence: any first n of them spread evenly over [0, 1). */
const spread = (k: number) => {
  let point = 0
  for (let bit = 0.5, rest = k; rest > 0; bit /= 2, rest >>= 1) point += (rest & 1) * bit
  return point
}

interface Outcome {
  readonly completed: boolean
  readonly doneMillis: number | undefined
}

/**
 * Starts the child early (loading takes longer than the apply); `run` then lets it stage, says
 * go, and kills it `delay` ms later (or lets it finish when `delay` is undefined).
 */
const startChild = (dir: string, pauseAt?: Phase) => {
  const child = spawn(nodeBin, [childScript, dir, String(fileCount), ...(pauseAt === undefined ? [] : [pauseAt])], {
    stdio: ["pipe", "pipe", "pipe"],
    // Hundreds of children load the same modules: the compile cache halves their start.
    env: { ...process.env, NODE_COMPILE_CACHE: compileCache }
  })
  live.add(child)
  child.on("exit", () => live.delete(child))
  let stderr = ""
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk)
  })
  const lines = readline.createInterface({ input: child.stdout })
  const run = (delay: number | undefined) =>
    new Promise<Outcome>((resolve, reject) => {
      let completed = false
      let doneMillis: number | undefined
      lines.on("line", (line) => {
        if (line === "ready") {
          child.stdin.write("go\n")
          if (delay !== undefined) setTimeout(() => child.kill("SIGKILL"), delay)
        } else if (line.startsWith("paused")) {
          child.kill("SIGKILL")
        } else if (line.startsWith("done")) {
          completed = true
          doneMillis = Number(line.split(" ")[1])
        }
      })
      child.on("error", reject)
      child.on("close", (code, signal) => {
        if (signal === null && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`))
        else resolve({ completed, doneMillis })
      })
      child.stdin.write("stage\n")
    })
  /** Kills a child not used (it waits for its first line) and waits until it is gone. */
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once("close", () => resolve())
      child.kill("SIGKILL")
    })
  return { run, stop }
}

const recoverInProcess = (dir: string) =>
  Effect.runPromise(
    recoverWorkspace().pipe(Effect.provide(Layer.merge(NodeFiles.layer(dir), IsomorphicGit.layer(dir))))
  )

const recoverWithCli = (dir: string) => {
  const result = spawnSync(nodeBin, [cli, "recover", "--workspace", dir, "--json"], { encoding: "utf8" })
  expect(result.status, result.stderr).toBe(0)
}

/** The workspace is wholly before or wholly after, and git says the same. */
const expectBeforeOrAfter = (dir: string, initial: string): "before" | "after" => {
  const tree = snapshot(dir)
  const state = JSON.stringify(tree) === JSON.stringify(before) ? "before" : "after"
  expect(tree).toEqual(state === "before" ? before : after)
  const journals = nodePath.join(dir, ".tamma", "journal")
  expect(fs.existsSync(journals) ? fs.readdirSync(journals) : []).toEqual([])
  expect(gitResult(dir, "status", "--porcelain").stdout).toBe("")
  const branches = git(dir, "branch", "--format=%(refname:short)").split("\n").sort()
  if (state === "before") {
    expect(git(dir, "symbolic-ref", "HEAD")).toBe("refs/heads/main")
    expect(git(dir, "rev-parse", "HEAD")).toBe(initial)
    expect(branches).toEqual(["main"])
    expect(folders(dir).some((folder) => folder.startsWith("gen"))).toBe(false)
  } else {
    expect(git(dir, "symbolic-ref", "HEAD")).toBe("refs/heads/tamma/crash")
    expect(git(dir, "rev-parse", "HEAD~1")).toBe(initial)
    expect(branches).toEqual(["main", "tamma/crash"])
  }
  const fsck = gitResult(dir, "fsck", "--strict", "--no-dangling")
  expect(fsck.status, fsck.stderr + fsck.stdout).toBe(0)
  expect(fsck.stderr + fsck.stdout).not.toMatch(/error|corrupt|missing|broken|invalid/i)
  return state
}

describe("crash safety", () => {
  it("recovers to exactly before or exactly after from kill -9 in every phase of the journal", async () => {
    const workspaces = [makeRepository(before), makeRepository(before)]
    made.push(...workspaces.map((w) => w.dir))
    // Calibration: how long the apply takes here, uninterrupted and under the same load as the
    // kills (both workspaces at once), so that the kills spread over all of it.
    const calibration = await Promise.all(workspaces.map(({ dir }) => startChild(dir).run(undefined)))
    expect(calibration.every((outcome) => outcome.completed)).toBe(true)
    const window = Math.max(...calibration.map((outcome) => outcome.doneMillis ?? 500)) * 1.3
    for (const { dir, initial } of workspaces) expect(expectBeforeOrAfter(dir, initial)).toBe("after")
    const seen = { before: 0, after: 0, kills: 0 }
    const timing = { reset: 0, child: 0, recover: 0, check: 0 }
    // The delays that left each phase, from either workspace.
    const hit = new Map<Phase, Array<number>>()
    const missing = (among: ReadonlyArray<Phase> = phases) => among.filter((phase) => !hit.has(phase))
    /**
     * Evenly over the window (with jitter: a run under load takes longer) for the first kills;
     * after them, a phase not hit yet (a short one) is sought between the
     * latest delay of the phases before it and the earliest of those after it.
     */
    const delayFor = (i: number, point: number) => {
      const sought = missing(required)[0] ?? missing()[0]
      if (i < minKills || sought === undefined) return ((spread(point) + Math.random() / 32) % 1) * window
      const index = phases.indexOf(sought)
      const lower = Math.max(0, ...phases.slice(0, index).flatMap((phase) => hit.get(phase) ?? []))
      const upper = Math.min(window, ...phases.slice(index + 1).flatMap((phase) => hit.get(phase) ?? []))
      // Timing varies from run to run (the bounds may even cross): a margin either side.
      const margin = window / 20
      const from = Math.max(0, Math.min(lower, upper) - margin)
      return from + Math.random() * (Math.abs(upper - lower) + 2 * margin)
    }
    const started = performance.now()
    const goOn = (i: number) => {
      const spent = performance.now() - started
      return (
        spent < capMs &&
        (i < paused.length + minKills || (i < maxKills && (missing(required).length > 0 || spent < budgetMs)))
      )
    }
    await Promise.all(
      workspaces.map(async ({ dir, initial }, w) => {
        // Whether another step comes is decided once per step (it depends on the clock and on the
        // other workspace): a child started for a step that does not come is killed.
        let next = goOn(0) ? startChild(dir, paused[0]) : undefined
        try {
          for (let i = 0; next !== undefined; i++) {
            const current = next
            next = undefined
            let t = performance.now()
            resetRepository(dir, initial)
            timing.reset += performance.now() - t
            const pauseAt = paused[i]
            // The two workspaces take turns along one sequence of points.
            const delay = pauseAt === undefined ? delayFor(i - paused.length, 2 * i + w) : undefined
            t = performance.now()
            await current.run(delay)
            timing.child += performance.now() - t
            seen.kills++
            const phase = phaseOf(dir)
            expect(phase).toBe(pauseAt ?? phase)
            hit.set(phase, [...(hit.get(phase) ?? []), ...(delay === undefined ? [] : [delay])])
            // The next child loads while this step recovers and checks.
            if (goOn(i + 1)) next = startChild(dir, paused[i + 1])
            t = performance.now()
            if (i % 25 === w) recoverWithCli(dir)
            else await recoverInProcess(dir)
            timing.recover += performance.now() - t
            t = performance.now()
            seen[expectBeforeOrAfter(dir, initial)]++
            timing.check += performance.now() - t
          }
        } finally {
          await next?.stop()
        }
      })
    )
    // A child started for a step that then did not come would wait on its stdin forever.
    expect(live.size).toBe(0)
    // Every phase of the journal that lasts was hit, so both outcomes were exercised.
    expect(missing(required), `phases never hit (the kills stop after ${capMs} ms)`).toEqual([])
    expect(seen.kills).toBeGreaterThanOrEqual(2 * minKills)
    expect(seen.before).toBeGreaterThan(0)
    expect(seen.after).toBeGreaterThan(0)
    const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`
    console.log(
      `crash test: ${seen.kills} kills over a ${Math.round(window)} ms window; ${seen.before} before, ${seen.after} after; ` +
        `by phase ${phases.map((phase) => `${phase} ${hit.get(phase)?.length ?? 0}`).join(", ")}, ` +
        `and paused at ${paused.join(" and ")} in each ` +
        `(children ${seconds(timing.child)}, recovery ${seconds(timing.recover)}, checks ${seconds(timing.check)}, ` +
        `resets ${seconds(timing.reset)}, summed over both workspaces)`
    )
  }, 240_000)
})
