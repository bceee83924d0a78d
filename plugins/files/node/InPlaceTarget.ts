/**
 * InPlaceTarget: where a command that rewrites files in place (`format`) may write a file it
 * was given, so that a symlink is never replaced by a regular file and never leads a write out
 * of the workspace or past the file rules.
 */
import * as fsSync from "node:fs"
import * as nodePath from "node:path"
import type { FilesConfig } from "../../../core/domain/Config.ts"
import { UnsafePathError } from "../../../core/errors.ts"
import { checkPath } from "../../../core/services/PathPolicy.ts"
import { firstLink } from "./RealLocation.ts"

/** Write `path` (the file as given, or a followed link's real target), or leave the file alone and say why. */
export type InPlaceTarget =
  | { readonly _tag: "Write"; readonly path: string }
  | { readonly _tag: "Skip"; readonly reason: string }

const isInside = (root: string, file: string) => {
  const relative = nodePath.relative(root, file)
  return relative !== "" && !relative.startsWith("..") && !nodePath.isAbsolute(relative)
}

const isLink = (file: string) => {
  try {
    return fsSync.lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

/**
 * Where to write `file` (absolute, or relative to the process) in the workspace `workspace`.
 * A file reached through no symlink is written where it is. One reached through a symlink
 * (itself or a folder above it) is written at its real location only when `files.followSymlinks`
 * allows it and that location is inside the workspace and passes the file rules.
 */
export const inPlaceTarget = (workspace: string, file: string, files: FilesConfig): InPlaceTarget => {
  const root = nodePath.resolve(workspace)
  const absolute = nodePath.resolve(file)
  const link = isInside(root, absolute)
    ? firstLink(root, nodePath.relative(root, absolute).split(nodePath.sep).join("/"))
    : isLink(absolute)
      ? absolute
      : undefined
  if (link === undefined) return { _tag: "Write", path: file }
  if (!files.followSymlinks) {
    return { _tag: "Skip", reason: `${link} is a symlink (files.followSymlinks is off)` }
  }
  const realRoot = fsSync.realpathSync(root)
  let real: string
  try {
    real = fsSync.realpathSync(absolute)
  } catch {
    return { _tag: "Skip", reason: `${link} is a dangling symlink` }
  }
  if (!isInside(realRoot, real)) return { _tag: "Skip", reason: `${link} leads outside the workspace` }
  const checked = checkPath(nodePath.relative(realRoot, real).split(nodePath.sep).join("/"), files)
  if (checked instanceof UnsafePathError) return { _tag: "Skip", reason: `${link} leads to ${checked.message}` }
  if (!fsSync.statSync(real).isFile()) return { _tag: "Skip", reason: `${link} does not lead to a regular file` }
  // Named under the workspace as the user sees it, relative to where the command runs.
  return {
    _tag: "Write",
    path: nodePath.relative(process.cwd(), nodePath.join(root, nodePath.relative(realRoot, real)))
  }
}
