/**
 * The workspace lock: one run at a time, released however the run ends, a dead holder's lock
 * taken over, and `--wait` waiting.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Schema } from "effect"
import { acquireWorkspaceLock, lockPath } from "../../plugins/files/node/WorkspaceLock.ts"

class Boom extends Schema.TaggedError<Boom>()("Boom", {}) {}

const folder = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-lock-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const held = (root: string) => fs.existsSync(lockPath(root))

/** The pid of a process that has exited. */
const deadPid = () => {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
  return Number(child.stdout)
}

/** A fiber that holds the lock of `root` until `release` completes; returns once it holds it. */
const holdUntilReleased = (root: string) =>
  Effect.gen(function* () {
    const release = yield* Deferred.make<void>()
    const taken = yield* Deferred.make<void>()
    const first = yield* Effect.scoped(
      Effect.gen(function* () {
        yield* acquireWorkspaceLock(root)
        yield* Deferred.succeed(taken, undefined)
        yield* Deferred.await(release)
      })
    ).pipe(Effect.forkChild)
    yield* Deferred.await(taken)
    return { first, release }
  })

describe("WorkspaceLock", () => {
  it.effect("refuses a second holder at once with WorkspaceLockedError naming the pid", () =>
    Effect.gen(function* () {
      const root = yield* folder
      yield* Effect.scoped(
        Effect.gen(function* () {
          const holder = yield* acquireWorkspaceLock(root)
          expect(holder.pid).toBe(process.pid)
          const lock = JSON.parse(fs.readFileSync(lockPath(root), "utf8"))
          expect(lock).toMatchObject({ pid: process.pid, hostname: os.hostname() })
          expect(typeof lock.startedAt).toBe("string")
          const error = yield* Effect.scoped(acquireWorkspaceLock(root)).pipe(Effect.flip)
          expect(error._tag).toBe("WorkspaceLockedError")
          expect(error._tag === "WorkspaceLockedError" ? error.pid : undefined).toBe(process.pid)
        })
      )
      expect(held(root)).toBe(false)
    })
  )

  it.effect("is released on failure and on interruption", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const failed = yield* Effect.scoped(Effect.andThen(acquireWorkspaceLock(root), Effect.fail(new Boom()))).pipe(
        Effect.flip
      )
      expect(failed._tag).toBe("Boom")
      expect(held(root)).toBe(false)
      const taken = yield* Deferred.make<void>()
      const fiber = yield* Effect.scoped(
        Effect.gen(function* () {
          yield* acquireWorkspaceLock(root)
          yield* Deferred.succeed(taken, undefined)
          return yield* Effect.never
        })
      ).pipe(Effect.forkChild)
      yield* Deferred.await(taken)
      expect(held(root)).toBe(true)
      yield* Fiber.interrupt(fiber)
      expect(held(root)).toBe(false)
    })
  )

  it.effect("takes over the stale lock of a dead process", () =>
    Effect.gen(function* () {
      const root = yield* folder
      fs.mkdirSync(nodePath.join(root, ".tamma"))
      const stale = { pid: deadPid(), hostname: os.hostname(), startedAt: "2020-01-01T00:00:00Z", token: "old" }
      fs.writeFileSync(lockPath(root), JSON.stringify(stale))
      yield* Effect.scoped(
        Effect.gen(function* () {
          const holder = yield* acquireWorkspaceLock(root)
          expect(holder.pid).toBe(process.pid)
          expect(JSON.parse(fs.readFileSync(lockPath(root), "utf8")).pid).toBe(process.pid)
        })
      )
      // Nothing of the takeover is left behind.
      expect(fs.readdirSync(nodePath.join(root, ".tamma"))).toEqual([])
    })
  )

  it.effect("keeps a live holder's lock, even one on another host it cannot check", () =>
    Effect.gen(function* () {
      const root = yield* folder
      fs.mkdirSync(nodePath.join(root, ".tamma"))
      const remote = { pid: deadPid(), hostname: "another-host", startedAt: "2020-01-01T00:00:00Z", token: "x" }
      fs.writeFileSync(lockPath(root), JSON.stringify(remote))
      const error = yield* Effect.scoped(acquireWorkspaceLock(root)).pipe(Effect.flip)
      expect(error._tag).toBe("WorkspaceLockedError")
      expect(JSON.parse(fs.readFileSync(lockPath(root), "utf8")).hostname).toBe("another-host")
    })
  )

  it.live("waiting for the holder can be interrupted, also inside an uninterruptible region", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const { first, release } = yield* holdUntilReleased(root)
      const waiting = yield* Effect.scoped(acquireWorkspaceLock(root, { wait: true, pollMillis: 10 })).pipe(
        Effect.uninterruptible,
        Effect.forkChild
      )
      yield* Effect.sleep(50)
      yield* Fiber.interrupt(waiting).pipe(Effect.timeout(2_000))
      const exit = waiting.pollUnsafe()
      expect(exit !== undefined && Exit.hasInterrupts(exit)).toBe(true)
      expect(held(root)).toBe(true)
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(first)
      expect(held(root)).toBe(false)
    })
  )

  it.live("with wait, waits for the holder to finish", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const { first, release } = yield* holdUntilReleased(root)
      const waits: Array<number | undefined> = []
      const second = yield* Effect.scoped(
        acquireWorkspaceLock(root, {
          wait: true,
          pollMillis: 10,
          onWait: (pid) => Effect.sync(() => waits.push(pid))
        })
      ).pipe(Effect.forkChild)
      yield* Effect.sleep(50)
      expect(second.pollUnsafe()).toBeUndefined()
      // Told once whom it waits for, however many times it tried.
      expect(waits).toEqual([process.pid])
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(first)
      const holder = yield* Fiber.join(second)
      expect(holder.pid).toBe(process.pid)
      expect(held(root)).toBe(false)
    })
  )
})
