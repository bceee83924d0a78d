/**
 * ApplyCommit: the end of a run — apply the staged files (journaled), then create the branch
 * and commit them — in an order where a failure, an interruption or a crash at any point is
 * undone wholly: files and branch together (see Recovery for the crash case).
 */
import { Effect, Option, type Scope } from "effect"
import { BranchNote, CommitNote } from "../domain/RunRecord.ts"
import type { GitError } from "../errors.ts"
import { type ApplyError, FileManager, type StagedChange } from "../services/FileManager.ts"
import { Git } from "../services/Git.ts"
import { PipelineConfig } from "../services/PipelineConfig.ts"

/** Runs a named step (the pipeline times and reports it); the identity by default. */
export type StepRunner = <A, E, R>(
  name: string,
  effect: Effect.Effect<A, E, R>,
  detail?: (a: A) => string
) => Effect.Effect<A, E, R>

export interface CommitRequest {
  /** A free, valid branch name (see `Git.availableBranch`). */
  readonly branch: string
  readonly message: string
  readonly author?: { readonly name: string; readonly email: string }
}

export interface ApplyCommitOptions {
  readonly runId?: string
  readonly summary: string
  /** `undefined`: apply only. */
  readonly commit?: CommitRequest
  readonly step?: StepRunner
}

export interface AppliedAndCommitted {
  readonly runId: string
  readonly changes: ReadonlyArray<StagedChange>
  readonly commit:
    | { readonly branch: string; readonly sha: string; readonly previousBranch: string | undefined }
    | undefined
}

const identityStep: StepRunner = (_name, effect) => effect

/**
 * Applies what is staged and commits it on a new branch. Inside a scope: if the scope closes
 * with a failure, the branch is abandoned and the files reverted; a run that changed nothing
 * makes no branch and no commit.
 */
export const applyAndCommit = Effect.fn("ApplyCommit.applyAndCommit")(function* (
  options: ApplyCommitOptions
): Effect.fn.Return<AppliedAndCommitted, ApplyError | GitError, FileManager | Git | Scope.Scope> {
  const files = yield* FileManager
  const git = yield* Git
  const step = options.step ?? identityStep
  const applied = yield* step(
    "apply",
    files.applyRun({ runId: options.runId, summary: options.summary }),
    (run) => `${run.changes.length} file(s)`
  )
  if (options.commit === undefined || applied.changes.length === 0) return { ...applied, commit: undefined }
  const { branch: wanted, message, author } = options.commit
  const paths = applied.changes.map((change) => change.path)
  const previousBranch = yield* git.currentBranch
  const previousHead = yield* git.head
  // Durable before the branch exists: a crash from here on is undone by `recover`.
  yield* files.note(applied.runId, new BranchNote({ branch: wanted, previousBranch, previousHead }))
  const branch = yield* step(
    "branch",
    Effect.acquireRelease(git.createBranch(wanted), (name, exit) =>
      exit._tag === "Failure"
        ? git
            .abandonBranch({ branch: name, previousBranch, previousHead, paths })
            .pipe(Effect.catch((error) => Effect.logError("could not restore branch", error.message)))
        : Effect.void
    ),
    (name) => name
  )
  const contents = new Map(applied.changes.map((change) => [change.path, change.after]))
  // The config, when the pipeline has one, says whether the repository's hooks run.
  const runHooks = Option.match(yield* Effect.serviceOption(PipelineConfig), {
    onNone: () => false,
    onSome: (config) => config.git.runHooks
  })
  const sha = yield* step("commit", git.commit({ files: paths, message, author, contents, runHooks }), (s) =>
    s.slice(0, 12)
  )
  yield* files.note(applied.runId, new CommitNote({ sha }))
  return { ...applied, commit: { branch, sha, previousBranch } }
})
