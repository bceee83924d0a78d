/**
 * NodeWorkspace: a workspace on disk as the pipeline, recovery and rollback need it — its files
 * (staged, journaled), its run history and its git — held under the workspace lock for as long
 * as the layer lives, and recovered from any crashed run before anything else reads it.
 * Composing `NodeFiles` and `IsomorphicGit` by hand gives neither guarantee.
 */
import { Context, Effect, Layer } from "effect"
import type { FilesConfig } from "../core/domain/Config.ts"
import type { FileSystemError, GitError, WorkspaceLockedError } from "../core/errors.ts"
import { type RecoveredRun, recoverWorkspace } from "../core/pipeline/Recovery.ts"
import type { FileManager } from "../core/services/FileManager.ts"
import type { Git } from "../core/services/Git.ts"
import type { RunHistory } from "../core/services/RunHistory.ts"
import { NodeFiles } from "../plugins/files/node/NodeFiles.ts"
import { acquireWorkspaceLock } from "../plugins/files/node/WorkspaceLock.ts"
import { IsomorphicGit } from "../plugins/git/isomorphic-git/IsomorphicGit.ts"

/** The runs a crash had left unfinished, which building the workspace layer finished or undid. */
export class RecoveredRuns extends Context.Service<RecoveredRuns, ReadonlyArray<RecoveredRun>>()(
  "@tamma/codegen/presets/RecoveredRuns"
) {}

export interface NodeWorkspaceOptions {
  /** The config's `files` section: size limits and path globs. */
  readonly files?: FilesConfig
  /** Wait for another run holding the lock instead of failing with WorkspaceLockedError. */
  readonly wait?: boolean
  /** Told once when `wait` is set and another run holds the lock (its pid when known). */
  readonly onWait?: (pid: number | undefined) => Effect.Effect<void>
  /** Told of every run recovered while the layer is built. */
  readonly onRecovered?: (run: RecoveredRun) => Effect.Effect<void>
}

/** What a workspace on disk provides. */
export type NodeWorkspaceServices = FileManager | RunHistory | Git

/** The files, run history and git of `workspace`, with no lock and no recovery: for reading runs only. */
export const layerUnlocked = (
  workspace: string,
  files?: FilesConfig
): Layer.Layer<NodeWorkspaceServices, FileSystemError | GitError> =>
  Layer.merge(NodeFiles.layer(workspace, files), IsomorphicGit.layer(workspace))

/**
 * The workspace held under its lock (taken when the layer is built, released when its scope
 * closes, however it closes), recovered before it is handed out.
 */
export const layer = (
  workspace: string,
  options: NodeWorkspaceOptions = {}
): Layer.Layer<NodeWorkspaceServices | RecoveredRuns, WorkspaceLockedError | FileSystemError | GitError> =>
  Layer.unwrap(
    Effect.gen(function* () {
      // In the layer's scope: held until the layer is released.
      yield* acquireWorkspaceLock(workspace, {
        ...(options.wait === undefined ? {} : { wait: options.wait }),
        ...(options.onWait === undefined ? {} : { onWait: options.onWait })
      })
      const recovered = Layer.effect(
        RecoveredRuns,
        Effect.tap(recoverWorkspace(), (runs) =>
          options.onRecovered === undefined ? Effect.void : Effect.forEach(runs, options.onRecovered, { discard: true })
        )
      )
      return Layer.provideMerge(recovered, layerUnlocked(workspace, options.files))
    })
  )
