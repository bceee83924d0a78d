/**
 * WorkspaceLock: one run at a time per workspace, through `.tamma/lock` (pid, hostname, start
 * time). The lock file is created whole or not at all (written aside, then hard-linked into
 * place, which fails if it exists, like O_EXCL); a lock whose process is dead on this host is
 * taken over by renaming it away and re-checking that the one renamed was the stale one.
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect, Schema, type Scope } from "effect"
import { type FileSystemError, WorkspaceLockedError } from "../../../core/errors.ts"
import { errorCode, fileSystemError } from "./RealLocation.ts"

/** What the lock file says about its holder. */
// Stryker disable next-line StringLiteral: the identifier only names the schema in messages that decodeHolder never shows
export class LockHolder extends Schema.Class<LockHolder>("@tamma/codegen/LockHolder")({
  pid: Schema.Int,
  hostname: Schema.String,
  startedAt: Schema.String,
  /** Tells this holder's lock from a later one with a recycled pid. */
  token: Schema.String
}) {}

const decodeHolder = Schema.decodeUnknownOption(Schema.fromJsonString(LockHolder))
const encodeHolder = Schema.encodeSync(Schema.fromJsonString(LockHolder))

export const lockPath = (root: string): string => nodePath.join(root, ".tamma", "lock")

/** Whether `pid` is a live process (one we may not signal is still alive). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return errorCode(cause) === "EPERM"
  }
}

const readHolder = async (file: string) => {
  const text = await fs.readFile(file, "utf8").catch((cause: unknown) => {
    if (errorCode(cause) === "ENOENT") return undefined
    throw cause
  })
  // Stryker disable next-line ConditionalExpression: an absent lock decoded as no lock is stale, and renaming it away fails with ENOENT, which also goes to the next round
  return text === undefined ? undefined : { text, holder: decodeHolder(text) }
}

/** A holder that can no longer hold the lock: its process died on this host. */
const isDead = (holder: LockHolder) => holder.hostname === os.hostname() && !isAlive(holder.pid)

type Attempt = { readonly _tag: "Taken" } | { readonly _tag: "Held"; readonly pid: number | undefined }

/** One attempt to take the lock at `file` for `mine`. */
const tryTake = async (file: string, mine: string): Promise<Attempt> => {
  await fs.mkdir(nodePath.dirname(file), { recursive: true })
  const aside = `${file}.${randomBytes(6).toString("hex")}.new`
  // Stryker disable next-line ObjectLiteral,StringLiteral: the name aside has 48 random bits, so no file is there for "wx" to refuse
  await fs.writeFile(aside, mine, { flag: "wx" })
  try {
    for (let round = 0; round < 3; round++) {
      try {
        await fs.link(aside, file)
        return { _tag: "Taken" }
      } catch (cause) {
        if (errorCode(cause) !== "EEXIST") throw cause
      }
      const current = await readHolder(file)
      if (current === undefined) continue
      // A file that is not a lock, or the lock of a dead process, is stale.
      const holder = current.holder
      if (holder._tag === "Some" && !isDead(holder.value)) {
        // Stryker disable next-line StringLiteral: any tag but "Taken" is held
        return { _tag: "Held", pid: holder.value.pid }
      }
      // Take the stale lock over: rename it away (only one contender's rename succeeds), then check
      // that what was renamed is the stale lock read above and not a live one taken meanwhile.
      const stale = `${file}.${randomBytes(6).toString("hex")}.stale`
      try {
        await fs.rename(file, stale)
      } catch (cause) {
        if (errorCode(cause) === "ENOENT") continue
        throw cause
      }
      const renamed = await fs.readFile(stale, "utf8")
      if (renamed !== current.text) {
        // Someone else's fresh lock: put it back where it was.
        await fs.link(stale, file).catch(() => undefined)
      }
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: the renamed lock is there until this removes it
      await fs.rm(stale, { force: true })
    }
    // Stryker disable next-line ObjectLiteral,StringLiteral: any result but "Taken" is held, and an absent pid is undefined
    return { _tag: "Held", pid: undefined }
  } finally {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: the file written aside is there until this removes it
    await fs.rm(aside, { force: true })
  }
}

/** Removes the lock at `file` if it is still ours. */
const release = async (file: string, mine: string) => {
  const current = await readHolder(file).catch(() => undefined)
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: the lock was just read; force only matters if another process removes it first
  if (current?.text === mine) await fs.rm(file, { force: true })
}

export interface LockOptions {
  /** Wait for the holder to finish instead of failing at once. */
  readonly wait?: boolean
  readonly pollMillis?: number
  /** Runs once, when `wait` is set and the lock is held: `pid` is the holder's when known. */
  readonly onWait?: (pid: number | undefined) => Effect.Effect<void>
}

/**
 * Holds the lock of the workspace `root` for the enclosing scope: released on success, failure
 * and interruption. Fails with WorkspaceLockedError when another live run holds it (unless `wait`).
 * Each attempt, with the release it registers when it succeeds, is uninterruptible; waiting for
 * another run between attempts can always be interrupted, also in an uninterruptible region.
 */
export const acquireWorkspaceLock = (
  root: string,
  options: LockOptions = {}
): Effect.Effect<LockHolder, WorkspaceLockedError | FileSystemError, Scope.Scope> => {
  const file = lockPath(root)
  const holder = new LockHolder({
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString("hex")
  })
  const mine = encodeHolder(holder)
  const attempt = Effect.acquireRelease(
    Effect.tryPromise({ try: () => tryTake(file, mine), catch: fileSystemError(file, "lock") }),
    // Stryker disable next-line ConditionalExpression: release removes the lock only when it holds our own record, which a held attempt never wrote
    (result) => (result._tag === "Taken" ? Effect.promise(() => release(file, mine)) : Effect.void)
  )
  const take = (waited: boolean): Effect.Effect<LockHolder, WorkspaceLockedError | FileSystemError, Scope.Scope> =>
    Effect.flatMap(attempt, (result) => {
      if (result._tag === "Taken") return Effect.succeed(holder)
      if (options.wait !== true) return Effect.fail(new WorkspaceLockedError({ path: root, pid: result.pid }))
      const wait = Effect.interruptible(Effect.sleep(options.pollMillis ?? 100))
      return Effect.andThen(
        waited || options.onWait === undefined ? wait : Effect.andThen(options.onWait(result.pid), wait),
        take(true)
      )
    })
  return take(false)
}
