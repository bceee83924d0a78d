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
  | {
      readonly _tag: "Found"
      readonly real: string
      readonly exists: boolean
      /** The entry (absolute) on disk that a segment of the path names but for case: a clone holds one file for the two. */
      readonly caseTwin?: string | undefined
    }
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

/** The entries of a folder by name: injectable, as no case-insensitive file system can be mounted in a test. */
export type ListFolder = (folder: string) => ReadonlyArray<string>

const listFolder: ListFolder = (folder) => fsSync.readdirSync(folder)

/**
 * The first entry on the way to `segments` under `root` whose name on disk is the asked segment
 * but for case. Where case does not count (macOS, Windows) such a path resolves to the entry on
 * disk, existing or not; a clone would hold one file for the two names, git's index both.
 */
const caseTwinOn = (root: string, segments: ReadonlyArray<string>, list: ListFolder): string | undefined => {
  let folder = root
  for (const segment of segments) {
    const entries = list(folder)
    if (entries.includes(segment)) {
      folder = nodePath.join(folder, segment)
      continue
    }
    const lower = segment.toLowerCase()
    const twin = entries.find((entry) => entry.toLowerCase() === lower)
    // Missing under any case: nothing below it exists.
    return twin === undefined ? undefined : nodePath.join(folder, twin)
  }
  return undefined
}

/**
 * Resolves `relative` under `root`: the real path of the deepest existing ancestor (every
 * symlink on the way followed) joined with the segments that do not exist yet.
 */
export const locate = async (root: string, relative: string, list: ListFolder = listFolder): Promise<Located> => {
  const missing: Array<string> = []
  let current = nodePath.join(root, ...relative.split("/"))
  let blockedByFile = false
  for (;;) {
    try {
      const real = fsSync.realpathSync.native(current)
      if (blockedByFile) return { _tag: "NotAFolder", ancestor: real }
      return {
        _tag: "Found",
        real: nodePath.join(real, ...missing),
        exists: missing.length === 0,
        caseTwin: caseTwinOn(root, relative.split("/"), list)
      }
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
      if (located.caseTwin !== undefined) {
        const twin = nodePath.relative(realRoot, located.caseTwin).split(nodePath.sep).join("/")
        return new UnsafePathError({ path, rule: "case-collision", detail: `differs only in case from ${twin}` })
      }
      if (located.exists && !fsSync.statSync(located.real).isFile()) {
        return new UnsafePathError({ path, rule: "special-file", detail: "not a regular file" })
      }
      return located.real
    }
  }
}

/**
 * The first symlink on `relative` under `root` (the file itself or a folder above it), as a
 * workspace-relative path; `undefined` when none of its existing segments is a link.
 */
export const firstLink = (root: string, relative: string): string | undefined => {
  const segments = relative.split("/")
  let current = root
  for (const [i, segment] of segments.entries()) {
    current = nodePath.join(current, segment)
    const stats = lstatOrUndefined(current)
    // Nothing below a missing segment exists, so nothing below it is a link.
    if (stats === undefined) return undefined
    if (stats.isSymbolicLink()) return segments.slice(0, i + 1).join("/")
  }
  return undefined
}

/** Where a workspace path really is. */
export interface Resolved {
  /** The absolute real location, every symlink followed. */
  readonly real: string
  /** That location relative to the workspace, `/`-separated. */
  readonly path: string
  /** The first symlink on the way (workspace-relative), if the path passes through one. */
  readonly link: string | undefined
}

/** The real, checked location of `path`: fails when it escapes `realRoot` or is not a regular file. */
export const resolveTarget = (
  root: string,
  realRoot: string,
  path: string
): Effect.Effect<Resolved, UnsafePathError | FileSystemError> =>
  Effect.tryPromise({
    try: async () => {
      const real = await verdict(realRoot, path, await locate(root, path))
      if (!Predicate.isString(real)) return real
      const link = firstLink(root, path)
      const resolved: Resolved = {
        real,
        path: link === undefined ? path : nodePath.relative(realRoot, real).split(nodePath.sep).join("/"),
        link
      }
      return resolved
    },
    catch: fileSystemError(path, "check")
  }).pipe(
    Effect.flatMap((result) =>
      result instanceof UnsafePathError || result instanceof FileSystemError
        ? Effect.fail(result)
        : Effect.succeed(result)
    )
  )

/**
 * The real location of a path that was resolved when it was staged: a symlink on it now
 * appeared since, and writing through it would go where no check looked.
 */
export const realTarget = (
  root: string,
  realRoot: string,
  path: string
): Effect.Effect<string, UnsafePathError | FileSystemError> =>
  Effect.flatMap(resolveTarget(root, realRoot, path), (resolved) =>
    resolved.link === undefined
      ? Effect.succeed(resolved.real)
      : Effect.fail(
          new UnsafePathError({ path, rule: "symlink", detail: `${resolved.link} became a symlink after staging` })
        )
  )
