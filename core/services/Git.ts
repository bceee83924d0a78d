/**
 * Git: branches and commits of the workspace's repository.
 */
import { Context, Effect, Layer, Option } from "effect"
import { GitError, type WorkspaceError } from "../errors.ts"

export interface GitStatusEntry {
  readonly path: string
  readonly status: "added" | "modified" | "deleted" | "untracked"
}

export interface GitCommitInfo {
  readonly sha: string
  readonly message: string
  readonly author: string
}

export interface CommitOptions {
  readonly files: ReadonlyArray<string>
  readonly message: string
  readonly author?: { readonly name: string; readonly email: string }
  /**
   * What each file holds as the run staged it (`undefined`: deleted). Blobs are written from
   * these instead of re-reading the work tree; a file of `files` not in here is read from disk.
   */
  readonly contents?: ReadonlyMap<string, string | undefined>
  /** Run the repository's `pre-commit` and `commit-msg` hooks; a failing hook fails the commit. */
  readonly runHooks?: boolean
}

/** Where a run found git, so that its branch can be undone: see `abandonBranch`. */
export interface BranchUndo {
  /** The branch the run created. */
  readonly branch: string
  /** The branch HEAD was on before; `undefined`: HEAD was detached at `previousHead`. */
  readonly previousBranch: string | undefined
  /** The commit HEAD was at before; `undefined`: the repository had no commit. */
  readonly previousHead: string | undefined
  /** The run's files: their index entries go back to `previousHead`'s. */
  readonly paths: ReadonlyArray<string>
}

/** The sha every commit of `Git.makeNoop` answers: forty zeros, which names no real object. */
const noopSha = "0".repeat(40)

const noRepository = (operation: string) =>
  Effect.fail(new GitError({ operation, detail: "the workspace is not a git repository" }))

export class Git extends Context.Service<
  Git,
  {
    readonly isRepository: Effect.Effect<boolean>
    readonly status: Effect.Effect<ReadonlyArray<GitStatusEntry>, GitError>
    /** Fails with a WorkspaceError that lists the dirty files. */
    readonly ensureClean: Effect.Effect<void, GitError | WorkspaceError>
    readonly currentBranch: Effect.Effect<string | undefined, GitError>
    /** The commit HEAD points at; `undefined` in a repository without commits. */
    readonly head: Effect.Effect<string | undefined, GitError>
    /** The commit branch `name` points at, or `undefined` when there is no such branch. */
    readonly branchTip: (name: string) => Effect.Effect<string | undefined, GitError>
    /** `name`, or `name-2`, `name-3` … whichever is free (refused when `name` is not a valid branch name). */
    readonly availableBranch: (name: string) => Effect.Effect<string, GitError>
    /** Creates a branch from HEAD and checks it out; a taken name gets a numeric suffix. Returns the name used. */
    readonly createBranch: (name: string) => Effect.Effect<string, GitError>
    readonly checkout: (name: string) => Effect.Effect<void, GitError>
    /** Commits exactly `files` (their staged or work-tree state, deletions included). Returns the commit sha. */
    readonly commit: (options: CommitOptions) => Effect.Effect<string, GitError>
    readonly log: (limit?: number) => Effect.Effect<ReadonlyArray<GitCommitInfo>, GitError>
    /** Moves the current branch to `ref` without touching the work tree. */
    readonly resetTo: (ref: string) => Effect.Effect<void, GitError>
    readonly deleteBranch: (name: string) => Effect.Effect<void, GitError>
    /**
     * Undoes a run's branch without touching the work tree: the index entries of the run's paths
     * go back to `previousHead` (an interrupted commit may have staged new content), HEAD goes
     * back to `previousBranch`, and `branch` is deleted — or, when the run committed on the branch
     * it was on (`branch` is `previousBranch`), moved back to `previousHead`. Safe to repeat.
     */
    readonly abandonBranch: (undo: BranchUndo) => Effect.Effect<void, GitError>
  }
>()("@tamma/codegen/services/Git") {
  /**
   * A clean repository on `main` without commits where every operation succeeds and changes
   * nothing (a commit answers a fixed sha), with `overrides` in place of the operations a test
   * cares about: like Effect's `FileSystem.makeNoop`.
   */
  static readonly makeNoop = (overrides: Partial<Git["Service"]> = {}): Git["Service"] =>
    Git.of({
      isRepository: Effect.succeed(true),
      status: Effect.succeed([]),
      ensureClean: Effect.void,
      currentBranch: Effect.succeed("main"),
      head: Effect.succeed(undefined),
      branchTip: () => Effect.succeed(undefined),
      availableBranch: (name) => Effect.succeed(name),
      createBranch: (name) => Effect.succeed(name),
      checkout: () => Effect.void,
      commit: () => Effect.succeed(noopSha),
      log: () => Effect.succeed([]),
      resetTo: () => Effect.void,
      deleteBranch: () => Effect.void,
      abandonBranch: () => Effect.void,
      ...overrides
    })

  /**
   * The Git service when one is provided and the workspace is a repository: what recovery and
   * rollback use, since a workspace outside git has runs without branches or commits.
   */
  static readonly inRepository: Effect.Effect<Option.Option<Git["Service"]>> = Effect.flatMap(
    Effect.serviceOption(Git),
    (git) =>
      Option.isNone(git)
        ? Effect.succeed(git)
        : Effect.map(git.value.isRepository, (yes) => (yes ? git : Option.none()))
  )

  /** `Git.makeNoop(overrides)` as a layer, for tests and embedders that commit nowhere. */
  static readonly layerNoop = (overrides: Partial<Git["Service"]> = {}): Layer.Layer<Git> =>
    Layer.succeed(Git, Git.makeNoop(overrides))

  /**
   * No repository: `isRepository` is false and every other operation fails with a GitError that
   * says so. Enough for a dry run or a run with `commit: false`, which never reach git.
   */
  static readonly layerNone: Layer.Layer<Git> = Layer.succeed(
    Git,
    Git.of({
      isRepository: Effect.succeed(false),
      status: noRepository("status"),
      ensureClean: noRepository("status"),
      currentBranch: noRepository("currentBranch"),
      head: noRepository("head"),
      branchTip: () => noRepository("branchTip"),
      availableBranch: () => noRepository("availableBranch"),
      createBranch: () => noRepository("createBranch"),
      checkout: () => noRepository("checkout"),
      commit: () => noRepository("commit"),
      log: () => noRepository("log"),
      resetTo: () => noRepository("resetTo"),
      deleteBranch: () => noRepository("deleteBranch"),
      abandonBranch: () => noRepository("abandonBranch")
    })
  )
}
