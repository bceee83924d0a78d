/**
 * The paths a run knows before it pays a model (the request's files, the skeleton's) are refused
 * there when a workspace symlink leads them out of the workspace: staging refuses them anyway,
 * but only after the model has been paid.
 */
import { Effect } from "effect"
import type { CodeGenerationRequest } from "../domain/Request.ts"
import type { FileManager } from "../services/FileManager.ts"

/** The verdicts of a path that reaches, through a link, where a run never reads or writes. */
const leavingRules: ReadonlySet<string> = new Set(["symlink-escape", "reserved"])

/**
 * Fails with the path's `UnsafePathError` when it leads out of the workspace (or into `.git` or
 * `.tamma`). Any other verdict (a denied name, a folder that is a file) is left to staging,
 * which gives it as it always has.
 */
export const refuseLinkOut = (locate: FileManager["Service"]["locate"]) => (path: string) =>
  locate(path).pipe(
    Effect.asVoid,
    Effect.catch((error) =>
      error._tag === "UnsafePathError" && leavingRules.has(error.rule) ? Effect.fail(error) : Effect.void
    )
  )

/** The workspace paths a request names: its existing code and the files its analysis says are affected. */
export const requestPaths = (request: CodeGenerationRequest): ReadonlyArray<string> => [
  ...new Set([
    ...request.context.existingCode.map((file) => file.path),
    ...(request.context.analysis?.affectedFiles ?? [])
  ])
]
