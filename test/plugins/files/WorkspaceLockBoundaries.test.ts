/**
 * The workspace lock at its edges: a lock file that is no lock, a holder on another host, a lock
 * that is no longer ours when the run ends, and the folder it lives in.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { acquireWorkspaceLock, LockHolder, lockPath } from "../../../plugins/files/node/WorkspaceLock.ts"

const folder = Effect.acquireRelease(
  Effect.sync(() => fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-lock-edges-"))),
  (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
)

const writeLock = (root: string, content: string) => {
  fs.mkdirSync(nodePath.join(root, ".tamma"), { recursive: true })
  fs.writeFileSync(lockPath(root), content)
}

describe("WorkspaceLock edges", () => {
  it("lives at .tamma/lock", () => {
    expect(lockPath("/w")).toBe(nodePath.join("/w", ".tamma", "lock"))
  })

  it.effect("creates its folder, and writes a whole holder record into the lock", () =>
    Effect.gen(function* () {
      const root = yield* folder
      yield* Effect.scoped(
        Effect.gen(function* () {
          const holder = yield* acquireWorkspaceLock(root)
          expect(holder).toBeInstanceOf(LockHolder)
          expect(holder.hostname).toBe(os.hostname())
          expect(holder.token).toMatch(/^[0-9a-f]{16}$/)
          expect(Number.isNaN(Date.parse(holder.startedAt))).toBe(false)
          expect(JSON.parse(fs.readFileSync(lockPath(root), "utf8"))).toEqual({
            pid: holder.pid,
            hostname: holder.hostname,
            startedAt: holder.startedAt,
            token: holder.token
          })
          // Nothing but the lock: the file written aside to link it into place is gone.
          expect(fs.readdirSync(nodePath.join(root, ".tamma"))).toEqual(["lock"])
        })
      )
      expect(fs.readdirSync(nodePath.join(root, ".tamma"))).toEqual([])
    })
  )

  it.effect("takes over a lock file that is not a lock at all", () =>
    Effect.gen(function* () {
      const root = yield* folder
      writeLock(root, "garbage, half written")
      yield* Effect.scoped(
        Effect.gen(function* () {
          const holder = yield* acquireWorkspaceLock(root)
          expect(JSON.parse(fs.readFileSync(lockPath(root), "utf8")).token).toBe(holder.token)
        })
      )
      expect(fs.existsSync(lockPath(root))).toBe(false)
    })
  )

  it.effect("names the pid of a holder on another host, and leaves its lock", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const remote = JSON.stringify({ pid: 4242, hostname: "elsewhere", startedAt: "2020-01-01T00:00:00Z", token: "t" })
      writeLock(root, remote)
      const error = yield* Effect.flip(Effect.scoped(acquireWorkspaceLock(root)))
      expect(error).toMatchObject({ _tag: "WorkspaceLockedError", path: root, pid: 4242 })
      expect(fs.readFileSync(lockPath(root), "utf8")).toBe(remote)
      expect(fs.readdirSync(nodePath.join(root, ".tamma"))).toEqual(["lock"])
    })
  )

  it.effect("keeps a live holder's lock on this host", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const live = JSON.stringify({ pid: process.pid, hostname: os.hostname(), startedAt: "x", token: "other" })
      writeLock(root, live)
      const error = yield* Effect.flip(Effect.scoped(acquireWorkspaceLock(root)))
      expect(error).toMatchObject({ _tag: "WorkspaceLockedError", pid: process.pid })
      expect(fs.readFileSync(lockPath(root), "utf8")).toBe(live)
    })
  )

  it.effect("does not remove a lock that is no longer its own when the run ends", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const other = JSON.stringify({ pid: 1, hostname: "elsewhere", startedAt: "x", token: "theirs" })
      yield* Effect.scoped(
        Effect.gen(function* () {
          yield* acquireWorkspaceLock(root)
          // Someone removed ours and took the lock meanwhile.
          fs.writeFileSync(lockPath(root), other)
        })
      )
      expect(fs.readFileSync(lockPath(root), "utf8")).toBe(other)
    })
  )

  it.live("waits without being told whom for when no onWait is given", () =>
    Effect.gen(function* () {
      const root = yield* folder
      const remote = JSON.stringify({ pid: 7, hostname: "elsewhere", startedAt: "x", token: "t" })
      writeLock(root, remote)
      setTimeout(() => fs.rmSync(lockPath(root), { force: true }), 50)
      const holder = yield* Effect.scoped(acquireWorkspaceLock(root, { wait: true, pollMillis: 10 }))
      expect(holder.pid).toBe(process.pid)
    })
  )
})
