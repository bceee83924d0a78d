/**
 * Interruption: SIGINT to the CLI exits 130 with nothing written and the lock released; and an
 * interruption right after the commit (index and branch already written) puts files, index,
 * HEAD and branches back — checked with the git CLI.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer } from "effect"
import { afterAll } from "vitest"
import { interruptedLineOf } from "../../cli/CliErrors.ts"
import { failureDocument } from "../../cli/JsonOutput.ts"
import { applyAndCommit } from "../../core/pipeline/ApplyCommit.ts"
import { FileManager } from "../../core/services/FileManager.ts"
import { Git } from "../../core/services/Git.ts"
import { NodeFiles } from "../../plugins/files/node/NodeFiles.ts"
import { makeIsomorphicGit } from "../../plugins/git/isomorphic-git/IsomorphicGit.ts"
import { changeSet, initialFiles } from "./ChangeSet.ts"
import { git, gitResult, makeRepository, project, removeFolder, snapshot } from "./Workspace.ts"

const made: Array<string> = []
afterAll(() => {
  for (const dir of made) removeFolder(dir)
})

const demoRepository = () => {
  const files: Record<string, string> = {}
  const source = nodePath.join(project, "examples", "demo", "workspace")
  for (const entry of fs.readdirSync(source, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = nodePath.join(entry.parentPath, entry.name)
    files[nodePath.relative(source, full)] = fs.readFileSync(full, "utf8")
  }
  const repo = makeRepository(files, "tamma-sigint-")
  made.push(repo.dir)
  return repo
}

const request = nodePath.join(project, "examples", "demo", "requests", "02-pricing.json")

/**
 * Runs `generate` and sends SIGINT after `delay` ms (never, when undefined), or as soon as the
 * progress on stderr reports the run's outcome (`"outcome"`).
 */
const generate = (dir: string, delay: number | "outcome" | undefined, flags: ReadonlyArray<string> = []) =>
  new Promise<{ status: number | null; millis: number; stderr: string }>((resolve) => {
    const started = performance.now()
    const child = spawn(
      process.execPath,
      [nodePath.join(project, "cli", "bin.ts"), "generate", "--request", request, "--workspace", dir, ...flags],
      {
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    let stderr = ""
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk)
      if (delay === "outcome" && stderr.includes("■ ")) child.kill("SIGINT")
    })
    child.stdout.resume()
    if (typeof delay === "number") setTimeout(() => child.kill("SIGINT"), delay)
    child.on("close", (status) => resolve({ status, millis: performance.now() - started, stderr }))
  })

describe("interruption", () => {
  it.live(
    "SIGINT at any moment of a CLI run exits 130, writes nothing and releases the lock",
    () =>
      Effect.promise(async () => {
        const probe = demoRepository()
        const full = await generate(probe.dir, undefined)
        expect(full.status, full.stderr).toBe(0)
        let interrupted = 0
        for (const fraction of [0.2, 0.4, 0.6, 0.75, 0.85, 0.92, 0.97]) {
          const { dir, initial } = demoRepository()
          const before = snapshot(dir)
          const run = await generate(dir, full.millis * fraction)
          if (run.status === 0) continue
          interrupted++
          expect(run.status, run.stderr).toBe(130)
          // The terminal says so, as --json does, in a line of its own.
          expect(run.stderr).toMatch(
            /^interrupted( before the run started: nothing was written|: the workspace was left as it was)/m
          )
          expect(snapshot(dir)).toEqual(before)
          expect(git(dir, "rev-parse", "HEAD")).toBe(initial)
          expect(git(dir, "symbolic-ref", "HEAD")).toBe("refs/heads/main")
          expect(git(dir, "branch", "--format=%(refname:short)")).toBe("main")
          expect(gitResult(dir, "status", "--porcelain").stdout).toBe("")
          expect(fs.existsSync(nodePath.join(dir, ".tamma", "lock"))).toBe(false)
          const journals = nodePath.join(dir, ".tamma", "journal")
          expect(fs.existsSync(journals) ? fs.readdirSync(journals) : []).toEqual([])
        }
        expect(interrupted).toBeGreaterThanOrEqual(3)
      }),
    120_000
  )

  it.live(
    "SIGINT once the run has reported its outcome keeps that outcome's exit code",
    () =>
      Effect.promise(async () => {
        const { dir } = demoRepository()
        const run = await generate(dir, "outcome")
        expect(run.status, run.stderr).toBe(0)
        expect(run.stderr).not.toContain("interrupted")
        expect(git(dir, "log", "-1", "--format=%s", "tamma/27-compute-discounted-prices-in-cents")).toContain(
          "discounted prices"
        )
      }),
    60_000
  )

  it.live(
    "SIGINT while --wait waits for another run's lock exits 130 and leaves that lock alone",
    () =>
      Effect.promise(async () => {
        const { dir, initial } = demoRepository()
        const holder = spawn("sleep", ["60"])
        try {
          const lock = nodePath.join(dir, ".tamma", "lock")
          fs.mkdirSync(nodePath.dirname(lock), { recursive: true })
          const text = JSON.stringify({
            pid: holder.pid,
            hostname: os.hostname(),
            startedAt: new Date().toISOString(),
            token: "another-run"
          })
          fs.writeFileSync(lock, text)
          const run = await generate(dir, 2_000, ["--wait"])
          expect(run.status, run.stderr).toBe(130)
          expect(run.stderr).toContain(`waiting for the run of process ${holder.pid} that holds the workspace lock`)
          expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(
            "interrupted: the workspace was left as it was (what the run had written was rolled back)"
          )
          expect(fs.readFileSync(lock, "utf8")).toBe(text)
          expect(git(dir, "rev-parse", "HEAD")).toBe(initial)
          expect(git(dir, "branch", "--format=%(refname:short)")).toBe("main")
        } finally {
          holder.kill()
        }
      }),
    60_000
  )

  it.live("an interruption after the commit resets the index, HEAD and branch, and the files", () =>
    Effect.gen(function* () {
      const before = initialFiles(40)
      const { dir, initial } = makeRepository(before, "tamma-interrupt-")
      made.push(dir)
      const committed = yield* Deferred.make<void>()
      const real = yield* makeIsomorphicGit(dir)
      // The commit completes (objects, branch ref, index), then the run hangs until interrupted.
      const stalling = Git.of({
        ...real,
        commit: (options) =>
          real.commit(options).pipe(
            Effect.tap(() => Deferred.succeed(committed, undefined)),
            Effect.andThen(Effect.never)
          )
      })
      const layer = Layer.merge(NodeFiles.layer(dir), Layer.succeed(Git, stalling))
      const fiber = yield* Effect.gen(function* () {
        const files = yield* FileManager
        for (const [path, content] of changeSet(40)) {
          if (content === undefined) yield* files.remove(path)
          else yield* files.write(path, content)
        }
        yield* Effect.scoped(
          applyAndCommit({ summary: "interrupted", commit: { branch: "tamma/interrupted", message: "x" } })
        )
      }).pipe(Effect.provide(layer), Effect.forkChild)
      yield* Deferred.await(committed)
      expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("tamma/interrupted")
      yield* Fiber.interrupt(fiber)
      expect(snapshot(dir)).toEqual(Object.fromEntries(Object.entries(before).sort(([a], [b]) => (a < b ? -1 : 1))))
      expect(git(dir, "symbolic-ref", "HEAD")).toBe("refs/heads/main")
      expect(git(dir, "rev-parse", "HEAD")).toBe(initial)
      expect(git(dir, "branch", "--format=%(refname:short)")).toBe("main")
      expect(gitResult(dir, "status", "--porcelain").stdout).toBe("")
      expect(gitResult(dir, "fsck", "--strict").status).toBe(0)
    })
  )

  it.live(
    "SIGINT to a command that runs no pipeline (worker) says plain 'interrupted', not that a run was rolled back",
    () =>
      Effect.promise(async () => {
        // A database that accepts the connection and never answers: the worker waits on it until told to stop.
        let onConnection = () => {}
        const connected = new Promise<void>((resolve) => {
          onConnection = resolve
        })
        const silent = net.createServer((socket) => {
          socket.on("error", () => {})
          onConnection()
        })
        await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve))
        const { port } = silent.address() as net.AddressInfo
        try {
          const child = spawn(
            process.execPath,
            [nodePath.join(project, "cli", "bin.ts"), "worker", "--database", `postgres://u@127.0.0.1:${port}/db`],
            { stdio: ["ignore", "ignore", "pipe"] }
          )
          let stderr = ""
          child.stderr.on("data", (chunk) => {
            stderr += String(chunk)
          })
          const closed = new Promise<number | null>((resolve) => child.on("close", resolve))
          await connected
          child.kill("SIGINT")
          expect(await closed, stderr).toBe(130)
          expect(stderr.trimEnd().split("\n").at(-1)).toBe("interrupted")
          expect(stderr).not.toContain("rolled back")
        } finally {
          silent.close()
        }
      }),
    60_000
  )

  it("submit --wait interrupted says the job stays queued, with its request id", () => {
    expect(interruptedLineOf({ _tag: "QueuedJob", requestId: "req-42" })).toBe(
      "interrupted: stopped waiting; job req-42 stays queued and will still run (see `tamma-codegen job req-42`)"
    )
    expect(interruptedLineOf({ _tag: "WorkspaceRun" })).toContain("rolled back")
    // --json says the same in its document.
    expect(failureDocument(Exit.interrupt(1), 130, interruptedLineOf({ _tag: "Nothing" })).errors).toEqual([
      { tag: "Interrupted", message: "interrupted" }
    ])
  })
})
