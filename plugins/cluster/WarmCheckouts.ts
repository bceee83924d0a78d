/**
 * WarmCheckouts: a worker's clones of the repositories it runs jobs on, kept between jobs. A clone
 * is reset as soon as its job ends (off that job's time); the repository's next job finds it
 * clean, fetching only what is new when its base moved, instead of copying the whole repository
 * again: the git work is the engine's own time per job, which the local CLI never pays.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Context, Effect, Exit, Fiber, Layer, type Scope } from "effect"
import type { GitError } from "../../core/errors.ts"
import { type JobRepository, normaliseRepositoryUrl } from "./Job.ts"
import { checkout, refresh } from "./RepositoryCheckout.ts"

/** A job's work tree, its own until its scope closes. */
export interface JobCheckout {
  readonly dir: string
  /**
   * Says the job ended in an orderly way (a result, whatever its status): the clone is kept for
   * the repository's next job. Otherwise (interrupted, cancelled, a defect) it is removed.
   */
  readonly keep: Effect.Effect<void>
}

interface Clone {
  readonly dir: string
  /** A job has it, or it is being reset after one. */
  busy: boolean
  /** The reset after the last job, which the repository's next job waits for. */
  resetting: Fiber.Fiber<void> | undefined
  /** The base its work tree is clean at, once reset; else the next job resets it first. */
  cleanAt: string | undefined
  lastUsed: number
}

/** How many repositories' clones a worker keeps; the least recently used idle one goes first. */
export const keptRepositories = 16

const remove = (dir: string) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))

export class WarmCheckouts extends Context.Service<
  WarmCheckouts,
  {
    /** A clean work tree of `repository` at `base` (a commit id). */
    readonly checkout: (repository: JobRepository, base: string) => Effect.Effect<JobCheckout, GitError, Scope.Scope>
  }
>()("@tamma/codegen/cluster/WarmCheckouts") {
  /** Clones under a folder of the worker's own, removed when the worker stops. */
  static readonly layer = Layer.effect(
    WarmCheckouts,
    Effect.gen(function* () {
      const root = yield* Effect.acquireRelease(
        Effect.promise(() => fs.mkdtemp(nodePath.join(os.tmpdir(), "tamma-worker-"))),
        remove
      )
      const clones = new Map<string, Clone>()
      let fresh = 0

      /** Drops idle clones beyond the limit, least recently used first. */
      const evict = Effect.suspend(() => {
        const idle = [...clones.entries()]
          .filter(([, clone]) => !clone.busy)
          .sort((a, b) => a[1].lastUsed - b[1].lastUsed)
        const excess = idle.slice(0, Math.max(0, clones.size - keptRepositories))
        for (const [key] of excess) clones.delete(key)
        return Effect.forEach(excess, ([, clone]) => remove(clone.dir), { discard: true })
      })

      const scope = yield* Effect.scope
      const forget = (key: string, clone: Clone) =>
        Effect.suspend(() => {
          if (clones.get(key) === clone) clones.delete(key)
          return remove(clone.dir)
        })

      /** The repository's clone at `base`, clean; a fresh copy when there is none or it cannot be made clean. */
      const warmClone = Effect.fn("WarmCheckouts.warmClone")(function* (
        key: string,
        repository: JobRepository,
        base: string
      ) {
        const known = clones.get(key)
        if (known !== undefined) {
          // Reset after its last job, at that job's base: the usual case needs no git work at all.
          if (known.cleanAt === base) return known
          const refreshed = yield* Effect.exit(refresh(repository, base, known.dir))
          if (Exit.isSuccess(refreshed)) return known
          yield* Effect.logWarning(`a kept clone of ${key} could not be reset; copying it again`)
          yield* forget(key, known)
        }
        const dir = nodePath.join(root, createHash("sha256").update(key).digest("hex").slice(0, 24))
        // Taken before the first wait, so that a second job of the repository sees it busy.
        const clone: Clone = { dir, busy: true, resetting: undefined, cleanAt: undefined, lastUsed: Date.now() }
        clones.set(key, clone)
        yield* remove(dir)
        yield* checkout(repository, base, dir).pipe(Effect.tapError(() => forget(key, clone)))
        return clone
      })

      /**
       * After an orderly job: the clone is reset at once, off the job's time, and handed to the
       * repository's next job when done; a clone that cannot be reset is dropped.
       */
      const resetAfter = (key: string, clone: Clone, repository: JobRepository, base: string) =>
        refresh(repository, base, clone.dir).pipe(
          Effect.matchEffect({
            onSuccess: () =>
              Effect.suspend(() => {
                clone.cleanAt = base
                clone.busy = false
                clone.lastUsed = Date.now()
                return evict
              }),
            onFailure: () => forget(key, clone)
          }),
          Effect.ensuring(
            Effect.sync(() => {
              clone.resetting = undefined
            })
          )
        )

      const acquire = Effect.fn("WarmCheckouts.checkout")(function* (repository: JobRepository, base: string) {
        const key = normaliseRepositoryUrl(repository.url)
        const resetting = clones.get(key)?.resetting
        if (resetting !== undefined) yield* Fiber.await(resetting)
        const known = clones.get(key)
        if (known?.busy === true) {
          // The engine runs a repository's jobs one at a time; should two meet here anyway, the
          // second gets a copy of its own.
          const dir = nodePath.join(root, `fresh-${++fresh}`)
          yield* Effect.addFinalizer(() => remove(dir))
          yield* checkout(repository, base, dir)
          return { dir, keep: Effect.void } satisfies JobCheckout
        }
        if (known !== undefined) known.busy = true
        let kept = false
        const clone = yield* warmClone(key, repository, base).pipe(
          // Interrupted mid-reset, it is still a clone: the next job resets it again.
          Effect.onError(() =>
            Effect.sync(() => {
              if (known !== undefined) known.busy = false
            })
          )
        )
        // The job changes the work tree: until reset, it is clean at no base.
        clone.cleanAt = undefined
        yield* Effect.addFinalizer(() =>
          Effect.suspend(() => {
            if (!kept) return forget(key, clone)
            return Effect.forkIn(resetAfter(key, clone, repository, base), scope).pipe(
              Effect.flatMap((fiber) =>
                Effect.sync(() => {
                  clone.resetting = fiber
                })
              )
            )
          })
        )
        return {
          dir: clone.dir,
          keep: Effect.sync(() => {
            kept = true
          })
        } satisfies JobCheckout
      })

      return WarmCheckouts.of({ checkout: acquire })
    })
  )
}
