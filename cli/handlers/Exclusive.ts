/**
 * Exclusive: what every command that writes to a workspace does first — take the workspace
 * lock for the whole command, then finish or undo the runs a crash interrupted.
 */
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { Console, Effect, Layer } from "effect"
import type { FilesConfig } from "../../core/domain/Config.ts"
import { type RecoveredRun, recoverWorkspace } from "../../core/pipeline/Recovery.ts"
import { NodeFiles } from "../../plugins/files/node/NodeWorkspace.ts"
import { acquireWorkspaceLock } from "../../plugins/files/node/WorkspaceLock.ts"
import { IsomorphicGit } from "../../plugins/git/isomorphic-git/IsomorphicGit.ts"

const isRepository = (workspace: string) =>
  Effect.promise(() =>
    fs.stat(nodePath.join(workspace, ".git")).then(
      () => true,
      () => false
    )
  )

/** The FileManager and (in a repository) Git of `workspace`: what recovery and rollback need. */
export const workspaceLayer = (workspace: string, files?: FilesConfig) =>
  Effect.map(isRepository(workspace), (repository) =>
    repository
      ? Layer.merge(NodeFiles.layer(workspace, files), IsomorphicGit.layer(workspace))
      : NodeFiles.layer(workspace, files)
  )

/** Recovers `workspace`; the caller holds its lock. */
export const recoverLocked = Effect.fn("cli.recover")(function* (workspace: string) {
  const layer = yield* workspaceLayer(workspace)
  return yield* recoverWorkspace().pipe(Effect.provide(layer))
})

export const describeRecovered = (run: RecoveredRun): string =>
  run.outcome === "completed"
    ? `recovered run ${run.runId}: it had completed; removed its journal`
    : `recovered run ${run.runId}: restored ${run.files} file(s) to their state before it${
        run.branch === undefined ? "" : `, deleted branch ${run.branch} and returned HEAD`
      }`

/** Says on stderr whom a `--wait` waits for. */
const sayWaiting = (pid: number | undefined) =>
  Console.error(`waiting for the run ${pid === undefined ? "" : `of process ${pid} `}that holds the workspace lock…`)

/** Runs `effect` holding the lock of `workspace` (released however it ends). */
export const locked =
  (workspace: string, options: { readonly wait?: boolean } = {}) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.scoped(Effect.andThen(acquireWorkspaceLock(workspace, { ...options, onWait: sayWaiting }), effect))

/** Runs `effect` holding the lock of `workspace`, after recovering it (reported on stderr). */
export const exclusive =
  (workspace: string, options: { readonly wait?: boolean } = {}) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.gen(function* () {
      for (const run of yield* recoverLocked(workspace)) yield* Console.error(describeRecovered(run))
      return yield* effect
    }).pipe(locked(workspace, options))
