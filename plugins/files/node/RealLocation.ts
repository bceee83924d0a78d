/**
 * RealLocation: where a workspace path really lives on disk once symlinks are resolved, and
 * whether that place is safe to read and write.
 */
import * as fsSync from "node:fs"
import * as nodePath from "node:path"
import { Effect, Predicate } from "effect"
import { FileSystemError, UnsafePathError } from "../../../core/errors.ts"
import { reservedRoots } from "../../../core/services/PathPolicy.ts"

/** The `code` of a Node system error (`ENOENT`, `EISDIR` …), if it has one. */
export const errorCode = (cause: unknown): string | undefined =>
  Predicate.hasProperty(cause, "code") && Predicate.isString(cause.code) ? cause.code : undefined

export const describeCause = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

export const fileSystemError = (path: string, operation: string) => (cause: unknown) =>
  new FileSystemError({ path, operation, cause: describeCause(cause) })

const isMissing = (cause: unknown) => {
  const code = errorCode(cause)
  return code === "ENOENT" || code === "ENOTDIR"
}

/** The outcome of resolving a path: found (existing or not), a dangling link, or a file where a folder should be. */
export type Located =
  | { readonly _tag: "Found"; readonly real: string; readonly exists: boolean }
  | { readonly _tag: "Dangling"; readonly link: string }
  | { readonly _tag: "NotAFolder"; readonly ancestor: string }

// Synchronous: see AtomicFile.writeAtomic (a thread-pool round trip costs more than the call).
const lstatOrUndefined = (target: string) => {
  try {
    return fsSync.lstatSync(target)
  } catch (cause) {
    if (isMissing(cause)) return undefined
    throw cause
  }
}

/**
 * Resolves `relative` under `root`: the real path of the deepest existing ancestor (every
 * symlink on the way followed) joined with the segments that do not exist yet.
 */
export const locate = async (root: string, relative: string): Promise<Located> => {
  const missing: Array<string> = []
  let current = nodePath.join(root, ...relative.split("/"))
  let blockedByFile = false
  for (;;) {
    try {
      const real = fsSync.realpathSync.native(current)
      if (blockedByFile) return { _tag: "NotAFolder", ancestor: real }
      return { _tag: "Found", real: nodePath.join(real, ...missing), exists: missing.length === 0 }
    } catch (cause) {
      if (!isMissing(cause)) throw cause
      if (errorCode(cause) === "ENOTDIR") blockedByFile = true
      // realpath fails on a link whose target is missing, yet the link is there: where a write
      // through it would land depends on the link, so it is not treated as an absent file.
      if (lstatOrUndefined(current) !== undefined) return { _tag: "Dangling", link: current }
      const parent = nodePath.dirname(current)
      if (parent === current) throw cause
      missing.unshift(nodePath.basename(current))
      current = parent
    }
  }
}

/** Turns a resolved location into the check's verdict for `path`. */
export const verdict = async (
  realRoot: string,
  path: string,
  located: Located
): Promise<UnsafePathError | FileSystemError | string> => {
  switch (located._tag) {
    case "Dangling":
      return new UnsafePathError({ path, rule: "symlink-escape", detail: `dangling symlink ${located.link}` })
    case "NotAFolder":
      return new FileSystemError({ path, operation: "check", cause: `${located.ancestor} is not a folder` })
    case "Found": {
      const relative = nodePath.relative(realRoot, located.real)
      if (relative.startsWith("..") || nodePath.isAbsolute(relative)) {
        return new UnsafePathError({ path, rule: "symlink-escape", detail: `resolves to ${located.real}` })
      }
      const first = relative.split(nodePath.sep)[0]?.toLowerCase()
      if (first !== undefined && reservedRoots.includes(first)) {
        return new UnsafePathError({ path, rule: "reserved", detail: `resolves into ${first}/` })
      }
      if (located.exists && !fsSync.statSync(located.real).isFile()) {
        return new UnsafePathError({ path, rule: "special-file", detail: "not a regular file" })
      }
      return located.real
    }
  }
}

/** The real, checked location of `path`: fails when it escapes `realRoot` or is not a regular file. */
export const realTarget = (
  root: string,
  realRoot: string,
  path: string
): Effect.Effect<string, UnsafePathError | FileSystemError> =>
  Effect.tryPromise({
    try: async () => verdict(realRoot, path, await locate(root, path)),
    catch: fileSystemError(path, "check")
  }).pipe(Effect.flatMap((result) => (Predicate.isString(result) ? Effect.succeed(result) : Effect.fail(result))))
