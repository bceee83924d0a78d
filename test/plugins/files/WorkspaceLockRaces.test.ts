/**
 * The workspace lock against another run acting between two of its steps: the stale lock it
 * read is renamed away or replaced by a live one before it renames it, the lock goes away
 * between finding it and reading it, a stale lock comes back every round. Those moments are
 * made to happen by running a step of the other run just before the lock's own call to the
 * file system; the calls themselves are node's. Also what it reports when a step fails, how
 * long it sleeps between attempts, and a holder it may not signal.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { isMainThread } from "node:worker_threads"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { afterEach, vi } from "vitest"
import { acquireWorkspaceLock, lockPath } from "../../../plugins/files/node/WorkspaceLock.ts"

/** What the other run does just before the lock's next call of each kind. */
const before = vi.hoisted(() => ({
  link: undefined as ((to: string) => void) | undefined,
  rename: undefined as ((from: string) => void) | undefined,
  readFile: undefined as ((path: string) => void) | undefined
}))

vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>()
  const link = async (from: string, to: string) => {
    before.link?.(to)
    return actual.link(from, to)
  }
  const rename = async (from: string, to: string) => {
    before.rename?.(from)
    return actual.rename(from, to)
  }
  const readFile = async (...args: Parameters<typeof actual.readFile>) => {
    before.readFile?.(String(args[0]))
    return actual.readFile(...args)
  }
  const overrides = { link, rename, readFile }
  return { ...actual, ...overrides, default: { ...actual, ...overrides } }
})

afterEach(() => {
  before.link = undefined
  before.rename = undefined
  before.readFile = undefined
})

const folder = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-lock-races-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const writeLock = (root: string, content: string) => {
  fs.mkdirSync(nodePath.join(root, ".tamma"), { recursive: true })
  fs.writeFileSync(lockPath(root), content)
}
const lockOf = (pid: number, hostname: string, token: string) =>
  JSON.stringify({ pid, hostname, startedAt: "2026-01-01T00:00:00Z", token })
const tokenIn = (root: string) => JSON.parse(fs.readFileSync(lockPath(root), "utf8")).token
const tammaEntries = (root: string) => fs.readdirSync(nodePath.join(root, ".tamma")).sort()

const asRoot = process.getuid?.() === 0

/** An error with a system error's code, as a file system that refuses the call gives it. */
const refusal = (code: string) => Object.assign(new Error(`${code}: refused`), { code })

describe("WorkspaceLock against another run", () => {
  it.effect("takes the lock in the next round when the stale lock it meant to rename was taken away first", () =>
    Effect.gen(function* () {
      const root = yield* folder
      writeLock(root, "not a lock")
      let renames = 0
      before.rename = (from) => {
        // Another contender renames the stale lock away just before this one does.
        if (from === lockPath(root) && renames++ === 0) fs.rmSync(lockPath(root))
      }
      yield* Effect.scoped(
        Effect.gen(function* () {
          const holder = yield* acquireWorkspaceLock(root)
          expect(tokenIn(root)).toBe(holder.token)
        })
      )
      expect(renames).toBe(1)
      expect(tammaEntries(root)).toEqual([])
    })
  )

  it.effect("puts back a live lock taken between reading the stale one and renaming it, and names its holder", () =>
    Effect.gen(function* () {
      const root = yield* folder
      writeLock(root, "not a lock")
      const live = lockOf(process.pid, os.hostname(), "theirs")
      before.rename = (from) => {
        if (from === lockPath(root)) {
          fs.writeFileSync(lockPath(root), live)
          before.rename = undefined
        }
      }
      const error = yield* Effect.flip(Effect.scoped(acquireWorkspaceLock(root)))
      expect(error).toMatchObject({ _tag: "WorkspaceLockedError", path: root, pid: process.pid })
      expect(fs.readFileSync(lockPath(root), "utf8")).toBe(live)
      // Neither the renamed lock nor the file written aside is left behind.
      expect(tammaEntries(root)).toEqual(["lock"])
    })
  )

  it.effect("gives up after three rounds when a stale lock is back each time, without naming a holder", () =>
    Effect.gen(function* () {
      const root = yield* folder
      let rounds = 0
      before.link = (to) => {
        if (to === lockPath(root)) {
          rounds++
          writeLock(root, "not a lock")
        }
      }
      const error = yield* Effect.flip(Effect.scoped(acquireWorkspaceLock(root)))
      expect(error).toMatchObject({ _tag: "WorkspaceLockedError", path: root, pid: undefined })
      expect(rounds).toBe(3)
      expect(tammaEntries(root)).toEqual([])
    })
  )

  it.effect("takes the lock when its holder removes it between the failed link and the read", () =>
    Effect.gen(function* () {
      const root = yield* folder
      writeLock(root, lockOf(1, "elsewhere", "theirs"))
      before.readFile = (path) => {
        if (path === lockPath(root)) {
          fs.rmSync(path)
          before.readFile = undefined
        }
      }
      yield* Effect.scoped(
        Effect.gen(function* () {
          const holder = yield* acquireWorkspaceLock(root)
          expect(tokenIn(root)).toBe(holder.token)
        })
      )
    })
  )

  it.effect("fails with the lock's path when the file system refuses the link or the rename", () =>
    Effect.gen(function* () {
      const root = yield* folder
      // A file system without hard links.
      before.link = () => {
        throw refusal("EPERM")
      }
      expect(yield* Effect.flip(Effect.scoped(acquireWorkspaceLock(root)))).toMatchObject({
        _tag: "FileSystemError",
        path: lockPath(root),
        operation: "lock"
      })
      expect(tammaEntries(root)).toEqual([])
      before.link = undefined
      writeLock(root, "not a lock")
      before.rename = () => {
        throw refusal("EROFS")
      }
      expect(yield* Effect.flip(Effect.scoped(acquireWorkspaceLock(root)))).toMatchObject({
        _tag: "FileSystemError",
        operation: "lock"
      })
      expect(fs.readFileSync(lockPath(root), "utf8")).toBe("not a lock")
    })
  )
})

describe("WorkspaceLock failures and waiting", () => {
  it.effect("fails with the lock's path when the lock is a folder it cannot read", () =>
    Effect.gen(function* () {
      const root = yield* folder
      fs.mkdirSync(nodePath.join(lockPath(root), "inside"), { recursive: true })
      expect(yield* Effect.flip(Effect.scoped(acquireWorkspaceLock(root)))).toMatchObject({
        _tag: "FileSystemError",
        path: lockPath(root),
        operation: "lock"
      })
      expect(tammaEntries(root)).toEqual(["lock"])
    })
  )

  it.effect("takes over a lock file without a holder's fields, or with a pid that is no pid", () =>
    Effect.gen(function* () {
      const root = yield* folder
      for (const notALock of [
        JSON.stringify({ pid: 1 }),
        JSON.stringify({ pid: 1.5, hostname: "elsewhere", startedAt: "x", token: "t" }),
        JSON.stringify({ pid: 1, hostname: "elsewhere", startedAt: "x" })
      ]) {
        writeLock(root, notALock)
        yield* Effect.scoped(
          Effect.gen(function* () {
            const holder = yield* acquireWorkspaceLock(root)
            expect(tokenIn(root)).toBe(holder.token)
          })
        )
      }
    })
  )

  it.effect("ends the run cleanly when its lock was removed meanwhile", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const exit = yield* Effect.exit(
        Effect.scoped(
          Effect.gen(function* () {
            yield* acquireWorkspaceLock(root)
            fs.rmSync(lockPath(root))
          })
        )
      )
      expect(exit._tag).toBe("Success")
      expect(tammaEntries(root)).toEqual([])
    })
  )

  // A worker thread (how mutation testing runs the tests) cannot change the process's user.
  it.effect.skipIf(asRoot && !isMainThread)("keeps a live holder's lock that it is not allowed to signal", () =>
    Effect.gen(function* () {
      const root = yield* folder
      // Root may signal anything: the holder runs as another user, and the lock is tried with
      // this process's effective user dropped to nobody (its real user stays root to come back).
      // Otherwise init, which belongs to root, is a holder this process may not signal.
      const holderPid = asRoot
        ? yield* Effect.acquireRelease(
            Effect.sync(() => spawn("sleep", ["60"], { uid: 4321, gid: 4321, stdio: "ignore" })),
            (child) => Effect.sync(() => child.kill("SIGKILL"))
          ).pipe(Effect.map((child) => child.pid ?? 0))
        : 1
      fs.chmodSync(root, 0o777)
      writeLock(root, lockOf(holderPid, os.hostname(), "theirs"))
      fs.chmodSync(nodePath.join(root, ".tamma"), 0o777)
      const attempt = Effect.scoped(acquireWorkspaceLock(root))
      const error = yield* Effect.flip(
        asRoot
          ? Effect.acquireUseRelease(
              Effect.sync(() => process.seteuid?.(65534)),
              () => attempt,
              () => Effect.sync(() => process.seteuid?.(0))
            )
          : attempt
      )
      expect(error).toMatchObject({ _tag: "WorkspaceLockedError", pid: holderPid })
      expect(JSON.parse(fs.readFileSync(lockPath(root), "utf8")).token).toBe("theirs")
    })
  )

  it.effect("sleeps the poll interval it is given between attempts", () =>
    Effect.gen(function* () {
      const root = yield* folder
      writeLock(root, lockOf(7, "elsewhere", "theirs"))
      const waiting = yield* Deferred.make<void>()
      const taken = yield* Deferred.make<void>()
      const fiber = yield* Effect.forkChild(
        Effect.scoped(
          acquireWorkspaceLock(root, {
            wait: true,
            pollMillis: 1000,
            onWait: () => Deferred.succeed(waiting, undefined)
          }).pipe(Effect.andThen(Deferred.succeed(taken, undefined)), Effect.andThen(Effect.never))
        )
      )
      yield* Deferred.await(waiting)
      fs.rmSync(lockPath(root))
      // Real time for the file system calls of an attempt the clock may have woken.
      const settle = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 300)))
      yield* TestClock.adjust(500)
      yield* settle
      expect(yield* Deferred.isDone(taken)).toBe(false)
      expect(fs.existsSync(lockPath(root))).toBe(false)
      yield* TestClock.adjust(500)
      yield* Deferred.await(taken)
      expect(fs.existsSync(lockPath(root))).toBe(true)
      yield* Fiber.interrupt(fiber)
      expect(fs.existsSync(lockPath(root))).toBe(false)
    })
  )
})
