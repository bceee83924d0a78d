/**
 * Where the user ran the command from, and where this package lives: relative paths (the
 * request file, the workspace, the paths to validate) resolve against the former, and the
 * latter is never a default workspace.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { packageRoot } from "../core/PackageRoot.ts"

/** The real path of `dir`, or `dir` resolved when it does not exist. */
export const realPathOf = (dir: string): string => {
  try {
    return fs.realpathSync(dir)
  } catch {
    return nodePath.resolve(dir)
  }
}

/** The folder of this package (the checkout, or the installed package). */
export { packageRoot }

/**
 * The folder the user ran the command from. `npm run` starts its scripts in the package's own
 * folder and keeps the user's folder in `INIT_CWD`: when we were started in our own folder, that
 * is where the user was. Elsewhere (installed, or a script of another project) the current
 * folder is.
 */
export const invocationDir = (
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  root: string = packageRoot
): string => {
  const initCwd = env.INIT_CWD
  if (initCwd === undefined || initCwd === "" || !nodePath.isAbsolute(initCwd)) return cwd
  return realPathOf(cwd) === root ? initCwd : cwd
}

/** Whether `dir` is this package's own folder or a folder inside it. */
export const isInsidePackage = (dir: string, root: string = packageRoot): boolean => {
  const relative = nodePath.relative(root, realPathOf(dir))
  return relative === "" || (!relative.startsWith("..") && !nodePath.isAbsolute(relative))
}
