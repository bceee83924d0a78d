/**
 * Recovery and rollback decide, from a journal or a run record and what git says, what to undo and
 * how. Each decision here through the public functions over a memory workspace and a git whose
 * answers the test sets: the order of undoing, which git undo each state of the branch calls for,
 * and each refusal.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { BranchNote, CommitNote, hashContent, Journal, JournalFile, RunRecord } from "../../../core/domain/RunRecord.ts"
import { recoverWorkspace } from "../../../core/pipeline/Recovery.ts"
import { rollbackRun } from "../../../core/pipeline/Rollback.ts"
import { FileManager } from "../../../core/services/FileManager.ts"
import { Git } from "../../../core/services/Git.ts"
import { MemoryFiles, MemoryWorkspace } from "../../../plugins/files/memory/MemoryWorkspace.ts"

const initial = { "src/a.ts": "a0\n", "src/b.ts": "b0\n" }

/** A git whose branch, tips and history the test sets, recording what it is asked to do. */
const scriptedGit = (state: {
  current: string | undefined
  tips: Record<string, string>
  history: ReadonlyArray<string>
}) => {
  const calls: Array<{ readonly op: string; readonly args: unknown }> = []
  const layer = Git.layerNoop({
    currentBranch: Effect.sync(() => state.current),
    head: Effect.succeed("head-sha"),
    branchTip: (name) => Effect.succeed(state.tips[name]),
    log: () => Effect.succeed(state.history.map((sha) => ({ sha, message: "m", author: "a" }))),
    deleteBranch: (name) => Effect.sync(() => void calls.push({ op: "deleteBranch", args: name })),
    abandonBranch: (undo) => Effect.sync(() => void calls.push({ op: "abandonBranch", args: undo })),
    commit: (options) =>
      Effect.sync(() => {
        calls.push({ op: "commit", args: options })
        return "revert-sha"
      })
  })
  return { calls, layer }
}

const journalOf = (runId: string, files: ReadonlyArray<{ path: string; before?: string; after?: string }>) =>
  new Journal({ runId, startedAt: 1, summary: runId, files: files.map((f) => new JournalFile(f)), createdFolders: [] })

/** Applies `changes` as the run `runId`, with a branch and a commit noted when `commit` is given. */
const applyRun = (runId: string, changes: Record<string, string | undefined>, commit?: string) =>
  Effect.gen(function* () {
    const files = yield* FileManager
    for (const [path, content] of Object.entries(changes)) {
      if (content === undefined) yield* files.remove(path)
      else yield* files.write(path, content)
    }
    yield* Effect.scoped(
      Effect.gen(function* () {
        yield* files.applyRun({ runId, summary: `summary of ${runId}` })
        if (commit !== undefined) {
          yield* files.note(runId, new BranchNote({ branch: "tamma/x", previousBranch: "main", previousHead: "p0" }))
          yield* files.note(runId, new CommitNote({ sha: commit }))
        }
      })
    )
  })

describe("recovery", () => {
  it.effect("undoes interrupted runs newest first, so the oldest run's before-state is what remains", () =>
    Effect.gen(function* () {
      const memory = yield* MemoryWorkspace
      yield* memory.journal.open(journalOf("run-1", [{ path: "src/a.ts", before: "a0\n", after: "a1\n" }]))
      yield* memory.journal.open(
        journalOf("run-2", [
          { path: "src/a.ts", before: "a1\n", after: "a2\n" },
          { path: "src/new.ts", after: "new\n" }
        ])
      )
      yield* memory.set("src/a.ts", "a2\n")
      yield* memory.set("src/new.ts", "new\n")
      const recovered = yield* recoverWorkspace()
      expect(recovered).toEqual([
        { runId: "run-2", outcome: "restored", files: 2, branch: undefined },
        { runId: "run-1", outcome: "restored", files: 1, branch: undefined }
      ])
      expect(yield* memory.snapshot).toEqual(initial)
      expect(yield* memory.journal.openIds).toEqual([])
    }).pipe(Effect.provide(MemoryFiles.layer(initial)))
  )

  it.effect("abandons the branch an interrupted run noted, and only closes the journal of a finished one", () => {
    const git = scriptedGit({ current: "tamma/x", tips: {}, history: [] })
    return Effect.gen(function* () {
      const memory = yield* MemoryWorkspace
      yield* memory.journal.open(journalOf("run-1", [{ path: "src/a.ts", before: "a0\n", after: "a1\n" }]))
      yield* memory.journal.saveRun(
        new RunRecord({ runId: "run-1", startedAt: 1, finishedAt: 2, summary: "done", files: [] })
      )
      yield* memory.journal.open(journalOf("run-2", [{ path: "src/b.ts", before: "b0\n", after: "b1\n" }]))
      // The commit note first: the branch is found by its kind, not its place.
      yield* memory.journal.note("run-2", [
        new CommitNote({ sha: "c1" }),
        new BranchNote({ branch: "tamma/x", previousBranch: "main", previousHead: "p0" })
      ])
      // An interrupted run that never made a branch: git is left alone for it.
      yield* memory.journal.open(journalOf("run-0", [{ path: "src/c.ts", after: "c\n" }]))
      yield* memory.set("src/c.ts", "c\n")
      yield* memory.set("src/a.ts", "a1\n")
      yield* memory.set("src/b.ts", "b1\n")
      const recovered = yield* recoverWorkspace()
      expect(recovered).toEqual([
        { runId: "run-2", outcome: "restored", files: 1, branch: "tamma/x" },
        { runId: "run-1", outcome: "completed", files: 1, branch: undefined },
        { runId: "run-0", outcome: "restored", files: 1, branch: undefined }
      ])
      expect(git.calls).toEqual([
        {
          op: "abandonBranch",
          args: { branch: "tamma/x", previousBranch: "main", previousHead: "p0", paths: ["src/b.ts"] }
        }
      ])
      // The finished run's change stands; the interrupted one's is gone.
      expect(yield* memory.snapshot).toEqual({ "src/a.ts": "a1\n", "src/b.ts": "b0\n" })
      expect(yield* memory.journal.openIds).toEqual([])
    }).pipe(Effect.provide(Layer.merge(MemoryFiles.layer(initial), git.layer)))
  })

  it.effect("has nothing to do on a workspace without journals", () =>
    Effect.gen(function* () {
      expect(yield* recoverWorkspace()).toEqual([])
    }).pipe(Effect.provide(MemoryFiles.layer(initial)))
  )
})

describe("rollback", () => {
  it.effect("without git, puts every file back (a created one removed) and marks the run rolled back", () =>
    Effect.gen(function* () {
      const memory = yield* MemoryWorkspace
      yield* applyRun("run-1", { "src/a.ts": "a1\n", "src/b.ts": undefined, "src/c.ts": "c1\n" })
      const rolled = yield* rollbackRun("run-1")
      expect(rolled).toMatchObject({ runId: "run-1", files: 3, git: "none", branch: undefined, commit: undefined })
      expect(yield* memory.snapshot).toEqual(initial)
      const records = yield* memory.journal.runs
      expect(records.find((r) => r.runId === "run-1")?.rolledBackBy).toBe(rolled.rollbackRunId)
      const own = records.find((r) => r.runId === rolled.rollbackRunId)
      expect(own?.summary).toBe("rollback of run-1: summary of run-1")
    }).pipe(Effect.provide(MemoryFiles.layer(initial)))
  )

  it.effect("refuses a run that does not exist, and one rolled back already", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(rollbackRun("run-9"))
      expect(missing).toMatchObject({ _tag: "WorkspaceError", detail: "no run run-9 (see tamma-codegen runs)" })
      yield* applyRun("run-1", { "src/a.ts": "a1\n" })
      const first = yield* rollbackRun("run-1")
      const again = yield* Effect.flip(rollbackRun("run-1"))
      expect(again).toMatchObject({
        _tag: "WorkspaceError",
        detail: `run run-1 was rolled back by ${first.rollbackRunId}`
      })
    }).pipe(Effect.provide(MemoryFiles.layer(initial)))
  )

  it.effect("refuses, writing nothing, when a file of the run changed since", () =>
    Effect.gen(function* () {
      const memory = yield* MemoryWorkspace
      yield* applyRun("run-1", { "src/a.ts": "a1\n", "src/b.ts": "b1\n" })
      yield* memory.set("src/b.ts", "edited\n")
      const error = yield* Effect.flip(rollbackRun("run-1"))
      expect(error).toMatchObject({
        _tag: "FileConflictError",
        path: "src/b.ts",
        detail: `changed since run run-1: expected ${hashContent("b1\n").slice(0, 12)}, found ${hashContent("edited\n").slice(0, 12)}`
      })
      expect(yield* memory.snapshot).toEqual({ "src/a.ts": "a1\n", "src/b.ts": "edited\n" })
    }).pipe(Effect.provide(MemoryFiles.layer(initial)))
  )

  it.effect("on the run's branch at the run's commit, abandons the branch", () => {
    const git = scriptedGit({ current: "tamma/x", tips: { "tamma/x": "c1" }, history: ["c1"] })
    return Effect.gen(function* () {
      const memory = yield* MemoryWorkspace
      yield* applyRun("run-1", { "src/a.ts": "a1\n" }, "c1")
      const rolled = yield* rollbackRun("run-1")
      expect(rolled).toMatchObject({ git: "branch-deleted", branch: "tamma/x", commit: undefined, files: 1 })
      expect(git.calls).toEqual([
        {
          op: "abandonBranch",
          args: { branch: "tamma/x", previousBranch: "main", previousHead: "p0", paths: ["src/a.ts"] }
        }
      ])
      expect(yield* memory.snapshot).toEqual(initial)
    }).pipe(Effect.provide(Layer.merge(MemoryFiles.layer(initial), git.layer)))
  })

  it.effect("when the branch moved on, commits a revert of the run's files on the current branch", () => {
    const git = scriptedGit({ current: "tamma/x", tips: { "tamma/x": "c2" }, history: ["c2", "c1"] })
    return Effect.gen(function* () {
      const memory = yield* MemoryWorkspace
      yield* applyRun("run-1", { "src/a.ts": "a1\n", "src/new.ts": "n\n" }, "c1")
      const rolled = yield* rollbackRun("run-1")
      expect(rolled).toMatchObject({ git: "revert-commit", commit: "revert-sha", files: 2 })
      expect(git.calls).toEqual([
        {
          op: "commit",
          args: {
            files: ["src/a.ts", "src/new.ts"],
            message: 'Revert "summary of run-1"\n\nThis undoes tamma run run-1 (commit c1).\n',
            contents: new Map([
              ["src/a.ts", "a0\n"],
              ["src/new.ts", undefined]
            ])
          }
        }
      ])
      expect(yield* memory.snapshot).toEqual(initial)
      // The revert is noted on the rollback's own record: a crash before the journal closed can move it back.
      const own = (yield* memory.journal.runs).find((r) => r.runId === rolled.rollbackRunId)
      expect(own).toMatchObject({ branch: "tamma/x", previousBranch: "tamma/x", previousHead: "head-sha" })
      expect(own?.commit).toBe("revert-sha")
    }).pipe(Effect.provide(Layer.merge(MemoryFiles.layer(initial), git.layer)))
  })

  it.effect("on another branch whose history holds the run's commit (merged), commits a revert", () => {
    const git = scriptedGit({ current: "main", tips: { "tamma/x": "c1" }, history: ["m1", "c1"] })
    return Effect.gen(function* () {
      yield* applyRun("run-1", { "src/a.ts": "a1\n" }, "c1")
      const rolled = yield* rollbackRun("run-1")
      expect(rolled.git).toBe("revert-commit")
      expect(git.calls.map((call) => call.op)).toEqual(["commit"])
    }).pipe(Effect.provide(Layer.merge(MemoryFiles.layer(initial), git.layer)))
  })

  it.effect("on another branch that never had the run's commit, only deletes the run's branch", () => {
    const git = scriptedGit({ current: "main", tips: { "tamma/x": "c1" }, history: ["m1"] })
    return Effect.gen(function* () {
      const memory = yield* MemoryWorkspace
      yield* applyRun("run-1", { "src/a.ts": "a1\n" }, "c1")
      // This checkout never had the change: the file here is someone's own work and stays.
      yield* memory.set("src/a.ts", "checkout's own\n")
      const rolled = yield* rollbackRun("run-1")
      expect(rolled).toMatchObject({ runId: "run-1", git: "branch-only", branch: "tamma/x", files: 0 })
      expect(rolled.commit).toBeUndefined()
      expect(git.calls).toEqual([{ op: "deleteBranch", args: "tamma/x" }])
      expect((yield* memory.snapshot)["src/a.ts"]).toBe("checkout's own\n")
      const records = yield* memory.journal.runs
      expect(records.find((r) => r.runId === "run-1")?.rolledBackBy).toBe(rolled.rollbackRunId)
    }).pipe(Effect.provide(Layer.merge(MemoryFiles.layer(initial), git.layer)))
  })

  it.effect("with git but a run that made no commit, touches git not at all", () => {
    const git = scriptedGit({ current: "main", tips: {}, history: [] })
    return Effect.gen(function* () {
      yield* applyRun("run-1", { "src/a.ts": "a1\n" })
      const rolled = yield* rollbackRun("run-1")
      expect(rolled.git).toBe("none")
      expect(git.calls).toEqual([])
    }).pipe(Effect.provide(Layer.merge(MemoryFiles.layer(initial), git.layer)))
  })
})
