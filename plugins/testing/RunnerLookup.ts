/**
 * Where a workspace's test runner is, as the user's machine has it: the workspace's own
 * `node_modules/.bin`, its virtualenv, then the PATH. Never a path inside this package: the
 * package ships no test runner (node:test runs on the Node that runs us).
 */
import { spawnSync } from "node:child_process"
import { lstatSync, readdirSync, readlinkSync, statSync } from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { TestRunnerMissingError } from "../../core/errors.ts"
import { findExecutable } from "./Executables.ts"

const isFile = (file: string) => {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** How to start an installed command without a shell. */
export interface Launch {
  readonly command: string
  readonly args: ReadonlyArray<string>
}

/**
 * The command `name` of the workspace's `node_modules/.bin`. npm links a JavaScript file there:
 * it runs on our Node, not on whatever `node` the PATH has first. Anything else (a pnpm shim)
 * runs as it is.
 */
export const workspaceBin = (workspace: string, name: string): Launch | undefined => {
  const bin = path.join(workspace, "node_modules", ".bin", name)
  if (!isFile(bin)) return undefined
  try {
    if (lstatSync(bin).isSymbolicLink()) {
      const target = path.resolve(path.dirname(bin), readlinkSync(bin))
      if (/\.[cm]?js$/.test(target)) return { command: process.execPath, args: [target] }
    }
  } catch {}
  return { command: bin, args: [] }
}

/** A file check only: the workspace's interpreter is never run outside the sandbox. */
const venvHas = (venv: string, module: string): boolean => {
  try {
    return readdirSync(path.join(venv, "lib"))
      .filter((name) => name.startsWith("python"))
      .some((version) => isFile(path.join(venv, "lib", version, "site-packages", module, "__init__.py")))
  } catch {
    return false
  }
}

/** The workspace's virtualenv Python (`.venv`, `venv`) when `module` is installed in it. */
export const virtualenvPython = (workspace: string, module: string): string | undefined => {
  for (const folder of [".venv", "venv"]) {
    const venv = path.join(workspace, folder)
    const python = path.join(venv, "bin", "python3")
    if (isFile(python) && venvHas(venv, module)) return python
  }
  return undefined
}

const importable = new Map<string, boolean>()

/**
 * Whether the PATH's `python3` imports `module`. Run from `/` so that no file of a workspace can
 * stand in for the module; remembered for the life of the process.
 */
export const pathPythonHas = (module: string, searchPath: string | undefined = process.env.PATH): boolean => {
  const python = findExecutable("python3", searchPath)
  if (python === undefined) return false
  const key = `${python}\0${module}`
  const known = importable.get(key)
  if (known !== undefined) return known
  const found =
    spawnSync(python, ["-c", `import ${module}`], { cwd: "/", stdio: "ignore", timeout: 30_000 }).status === 0
  importable.set(key, found)
  return found
}

/** Fails with what is missing unless `name` is an executable on the PATH. */
export const requireOnPath = (framework: string, name: string, remedy: string) =>
  Effect.suspend(() =>
    findExecutable(name) === undefined
      ? Effect.fail(new TestRunnerMissingError({ framework, missing: [name], remedy }))
      : Effect.void
  )
