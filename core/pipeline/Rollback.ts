/**
 * Rollback: undoing an applied run later, from its record (`.tamma/runs/<runId>.json`).
 *
 * The files go back to their content before the run, through a journaled apply of their own,
 * refused with FileConflictError (nothing written) when any of them changed since the run.
 * Git goes back to where it was when nothing was built on the run: if HEAD is still on the
 * run's branch and the branch still points at the run's commit, HEAD returns to the previous
 * branch and the run's branch is deleted. If HEAD is elsewhere, on a history without the run's
 * commit, and the branch still points at that commit, the run lives on its branch alone:
 * rolling back is deleting the branch, and the files of the current checkout (which never had
 * the run's change) are not touched. Otherwise (the branch moved on, or was merged) history is
 * not rewritten: a revert commit on the current branch undoes the run's files.
 */
import { Effect, Option } from "effect"
import { BranchNote, CommitNote, hashContent, RunRecord } from "../domain/RunRecord.ts"
import { FileConflictError, type GitError, WorkspaceError } from "../errors.ts"
import { FileManager } from "../services/FileManager.ts"
import { Git } from "../services/Git.ts"
import { RunHistory } from "../services/RunHistory.ts"

/**
 * How git was put back: `branch-deleted` with its files and HEAD back on the previous branch;
 * `branch-only` the branch deleted, nothing else touched (it was not checked out); `revert-commit`
 * a commit undoing the files on the current branch.
 */
export type GitUndo = "none" | "branch-deleted" | "branch-only" | "revert-commit"

export interface RolledBack {
  readonly runId: string
  /** The id of the rollback's own run (it has a record too). */
  readonly rollbackRunId: string
  readonly files: number
  readonly git: GitUndo
  /** The run's branch, when it had one. */
  readonly branch: string | undefined
  readonly commit: string | undefined
}

const findRun = Effect.fnUntraced(function* (runId: string) {
  const files = yield* FileManager
  const record = (yield* (yield* RunHistory).runs).find((candidate) => candidate.runId === runId)
  if (record === undefined) {
    return yield* new WorkspaceError({ path: files.root, detail: `no run ${runId} (see tamma-codegen runs)` })
  }
  if (record.rolledBackBy !== undefined) {
    return yield* new WorkspaceError({
      path: files.root,
      detail: `run ${runId} was rolled back by ${record.rolledBackBy}`
    })
  }
  return record
})

const gitPlan = Effect.fnUntraced(function* (record: RunRecord): Effect.fn.Return<GitUndo, GitError> {
  const git = yield* Git.inRepository
  if (record.commit === undefined || record.branch === undefined || Option.isNone(git)) return "none"
  const current = yield* git.value.currentBranch
  const tip = yield* git.value.branchTip(record.branch)
  if (tip !== record.commit) return "revert-commit"
  if (current === record.branch) return "branch-deleted"
  // HEAD is elsewhere: a history that holds the run's commit (merged) needs a revert; one that
  // does not never had the run's files.
  const history = yield* git.value.log()
  return history.some((commit) => commit.sha === record.commit) ? "revert-commit" : "branch-only"
})

/** The run lives on a branch that is not checked out: deleting it is the whole rollback. */
const deleteUnusedBranch = Effect.fnUntraced(function* (record: RunRecord, branch: string, git: Git["Service"]) {
  const files = yield* FileManager
  // An apply of nothing: it writes no file, and names the rollback.
  const rollbackRunId = yield* Effect.scoped(
    Effect.map(files.applyRun({ summary: `rollback of ${record.runId}: ${record.summary}` }), (run) => run.runId)
  )
  yield* git.deleteBranch(branch)
  yield* (yield* RunHistory).save(new RunRecord({ ...record, rolledBackBy: rollbackRunId }))
  const rolledBack: RolledBack = {
    runId: record.runId,
    rollbackRunId,
    files: 0,
    git: "branch-only",
    branch,
    commit: undefined
  }
  return rolledBack
})

/** Undoes the applied run `runId` (see the module comment for what happens to git). */
export const rollbackRun = Effect.fn("Rollback.rollbackRun")(function* (runId: string) {
  const files = yield* FileManager
  const record = yield* findRun(runId)
  const plan = yield* gitPlan(record)
  const git = yield* Git.inRepository
  if (plan === "branch-only" && record.branch !== undefined && Option.isSome(git)) {
    return yield* deleteUnusedBranch(record, record.branch, git.value)
  }
  for (const file of record.files) {
    const current = yield* files.read(file.path)
    if (hashContent(current) !== file.afterHash) {
      return yield* new FileConflictError({
        path: file.path,
        detail: `changed since run ${runId}: expected ${file.afterHash.slice(0, 12)}, found ${hashContent(current).slice(0, 12)}`
      })
    }
  }
  const paths = record.files.map((file) => file.path)
  const outcome = yield* Effect.scoped(
    Effect.gen(function* () {
      yield* files.discard
      for (const file of record.files) {
        if (file.before === undefined) yield* files.remove(file.path)
        else yield* files.write(file.path, file.before)
      }
      const applied = yield* files.applyRun({ summary: `rollback of ${runId}: ${record.summary}` })
      const git = yield* Git.inRepository
      if (Option.isNone(git) || plan === "none") return { runId: applied.runId, commit: undefined }
      if (plan === "branch-deleted" && record.branch !== undefined) {
        yield* git.value.abandonBranch({
          branch: record.branch,
          previousBranch: record.previousBranch,
          previousHead: record.previousHead,
          paths
        })
        return { runId: applied.runId, commit: undefined }
      }
      // A commit on the current branch: the note lets a crash before the journal closes move it back.
      const branch = yield* git.value.currentBranch
      if (branch !== undefined) {
        const previousHead = yield* git.value.head
        yield* files.note(applied.runId, new BranchNote({ branch, previousBranch: branch, previousHead }))
      }
      const sha = yield* git.value.commit({
        files: paths,
        message: `Revert "${record.summary}"\n\nThis undoes tamma run ${runId} (commit ${record.commit ?? "none"}).\n`,
        contents: new Map(record.files.map((file) => [file.path, file.before]))
      })
      yield* files.note(applied.runId, new CommitNote({ sha }))
      return { runId: applied.runId, commit: sha }
    })
  )
  yield* (yield* RunHistory).save(new RunRecord({ ...record, rolledBackBy: outcome.runId }))
  const rolledBack: RolledBack = {
    runId,
    rollbackRunId: outcome.runId,
    files: record.files.length,
    git: plan,
    branch: record.branch,
    commit: outcome.commit
  }
  return rolledBack
})
