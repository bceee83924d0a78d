/**
 * Git: branches and commits of the workspace's repository.
 */
import { Context, type Effect } from "effect"
import type { GitError, WorkspaceError } from "../errors.ts"

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
}

export class Git extends Context.Service<
  Git,
  {
    readonly isRepository: Effect.Effect<boolean>
    readonly status: Effect.Effect<ReadonlyArray<GitStatusEntry>, GitError>
    /** Fails with a WorkspaceError that lists the dirty files. */
    readonly ensureClean: Effect.Effect<void, GitError | WorkspaceError>
    readonly currentBranch: Effect.Effect<string | undefined, GitError>
    /** Creates a branch from HEAD and checks it out; a taken name gets a numeric suffix. Returns the name used. */
    readonly createBranch: (name: string) => Effect.Effect<string, GitError>
    readonly checkout: (name: string) => Effect.Effect<void, GitError>
    /** Commits exactly `files` (their work-tree state, deletions included). Returns the commit sha. */
    readonly commit: (options: CommitOptions) => Effect.Effect<string, GitError>
    readonly log: (limit?: number) => Effect.Effect<ReadonlyArray<GitCommitInfo>, GitError>
    /** Moves the current branch to `ref` without touching the work tree. */
    readonly resetTo: (ref: string) => Effect.Effect<void, GitError>
    readonly deleteBranch: (name: string) => Effect.Effect<void, GitError>
  }
>()("@tamma/codegen/services/Git") {}
