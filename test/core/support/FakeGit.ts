/**
 * An in-memory Git for unit tests of the core: branches and commits as plain data, with a switch
 * that makes the next commit fail. The real plugin is tested against the git CLI elsewhere.
 */
import { Context, Effect, Layer } from "effect"
import { GitError } from "../../../core/errors.ts"
import { Git } from "../../../core/services/Git.ts"

export interface FakeGitState {
  current: string
  branches: Map<string, ReadonlyArray<{ readonly files: ReadonlyArray<string>; readonly message: string }>>
  failNextCommit: boolean
  dirty: ReadonlyArray<string>
}

export class FakeGitRepo extends Context.Service<FakeGitRepo, FakeGitState>()("test/FakeGitState") {}

export const FakeGit = {
  layer: Layer.effectContext(
    Effect.sync(() => {
      const state: FakeGitState = {
        current: "main",
        branches: new Map([["main", []]]),
        failNextCommit: false,
        dirty: []
      }
      const git = Git.of({
        isRepository: Effect.succeed(true),
        status: Effect.sync(() => state.dirty.map((path) => ({ path, status: "modified" as const }))),
        ensureClean: Effect.suspend(() =>
          state.dirty.length === 0 ? Effect.void : Effect.fail(new GitError({ operation: "status", detail: "dirty" }))
        ),
        currentBranch: Effect.sync(() => state.current),
        head: Effect.sync(() => `sha${state.branches.get(state.current)?.length ?? 0}`),
        branchTip: (name) =>
          Effect.sync(() => {
            const history = state.branches.get(name)
            return history === undefined ? undefined : `sha${history.length}`
          }),
        availableBranch: (name) =>
          Effect.sync(() => {
            let chosen = name
            for (let n = 2; state.branches.has(chosen); n++) chosen = `${name}-${n}`
            return chosen
          }),
        abandonBranch: ({ branch, previousBranch }) =>
          Effect.sync(() => {
            if (previousBranch !== undefined) state.current = previousBranch
            if (branch !== previousBranch) state.branches.delete(branch)
          }),
        createBranch: (name) =>
          Effect.sync(() => {
            let chosen = name
            for (let n = 2; state.branches.has(chosen); n++) chosen = `${name}-${n}`
            state.branches.set(chosen, state.branches.get(state.current) ?? [])
            state.current = chosen
            return chosen
          }),
        checkout: (name) =>
          Effect.sync(() => {
            state.current = name
          }),
        commit: ({ files, message }) =>
          Effect.suspend(() => {
            if (state.failNextCommit) {
              state.failNextCommit = false
              return Effect.fail(new GitError({ operation: "commit", detail: "injected failure" }))
            }
            const history = state.branches.get(state.current) ?? []
            state.branches.set(state.current, [...history, { files, message }])
            return Effect.succeed(`sha${history.length + 1}`)
          }),
        log: () => Effect.sync(() => []),
        resetTo: () => Effect.void,
        deleteBranch: (name) =>
          Effect.sync(() => {
            state.branches.delete(name)
          })
      })
      return Context.make(Git, git).pipe(Context.add(FakeGitRepo, state))
    })
  )
}
