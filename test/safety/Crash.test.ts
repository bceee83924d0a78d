/**
 * Kill -9 at random moments of a large apply (journal, atomic writes, branch, commit), hundreds
 * of times; after recovery the workspace is exactly as before the run or exactly as after it,
 * git agrees (HEAD, branch, index, `git fsck`), and no journal is left.
 */
import { spawn, spawnSync } from "node:child_process"
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
// Two workspaces killed in parallel (one per core); kills per workspace.
const killsPerWorkspace = Number(process.env.TAMMA_CRASH_KILLS ?? 105)
const childScript = nodePath.join(project, "test", "safety", "ApplyChild.ts")
const cli = nodePath.join(project, "cli", "bin.ts")
const compileCache = fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-compile-cache-"))
const made: Array<string> = [compileCache]

afterAll(() => {
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

interface Outcome {
  readonly completed: boolean
  readonly doneMillis: number | undefined
}

/**
 * Starts the child early (loading takes longer than the apply); `run` then lets it stage, says
 * go, and kills it `delay` ms later (or lets it finish when `delay` is undefined).
 */
const startChild = (dir: string) => {
  const child = spawn(nodeBin, [childScript, dir, String(fileCount)], {
    stdio: ["pipe", "pipe", "pipe"],
    // Hundreds of children load the same modules: the compile cache halves their start.
    env: { ...process.env, NODE_COMPILE_CACHE: compileCache }
  })
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
  return { run }
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
  it("recovers to exactly before or exactly after from kill -9 at 200+ random moments", async () => {
    const workspaces = [makeRepository(before), makeRepository(before)]
    made.push(...workspaces.map((w) => w.dir))
    // Calibration: how long the apply takes here, uninterrupted and under the same load as the
    // kills (both workspaces at once), so that the kills spread over all of it.
    const calibration = await Promise.all(workspaces.map(({ dir }) => startChild(dir).run(undefined)))
    expect(calibration.every((outcome) => outcome.completed)).toBe(true)
    const window = Math.max(...calibration.map((outcome) => outcome.doneMillis ?? 500))
    for (const { dir, initial } of workspaces) expect(expectBeforeOrAfter(dir, initial)).toBe("after")
    const seen = { before: 0, after: 0, kills: 0 }
    const timing = { reset: 0, child: 0, recover: 0, check: 0 }
    await Promise.all(
      workspaces.map(async ({ dir, initial }, w) => {
        let next = startChild(dir)
        for (let i = 0; i < killsPerWorkspace; i++) {
          let t = performance.now()
          resetRepository(dir, initial)
          timing.reset += performance.now() - t
          // Even spread over 0 … 1.3 × the calibrated window, jittered: a run under load takes longer.
          const delay = ((i + Math.random()) / killsPerWorkspace) * window * 1.3
          t = performance.now()
          await next.run(delay)
          timing.child += performance.now() - t
          // The next child loads while this iteration recovers and checks.
          next = i + 1 < killsPerWorkspace ? startChild(dir) : next
          seen.kills++
          t = performance.now()
          if (i % 25 === w) recoverWithCli(dir)
          else await recoverInProcess(dir)
          timing.recover += performance.now() - t
          t = performance.now()
          seen[expectBeforeOrAfter(dir, initial)]++
          timing.check += performance.now() - t
        }
      })
    )
    expect(seen.kills).toBeGreaterThanOrEqual(Math.min(200, 2 * killsPerWorkspace))
    // Both outcomes must have been exercised, or the kills missed the window.
    expect(seen.before).toBeGreaterThan(10)
    expect(seen.after).toBeGreaterThan(0)
    const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`
    console.log(
      `crash test: ${seen.kills} kills over a ${window} ms apply; ${seen.before} before, ${seen.after} after ` +
        `(children ${seconds(timing.child)}, recovery ${seconds(timing.recover)}, checks ${seconds(timing.check)}, ` +
        `resets ${seconds(timing.reset)}, summed over both workspaces)`
    )
  }, 240_000)
})
