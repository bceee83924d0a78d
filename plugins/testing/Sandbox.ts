/**
 * A sandbox copy of a workspace with staged changes overlaid, for running tests before anything
 * is written to the workspace itself. It holds the files git tracks, never ignored or untracked
 * ones (a `.env`, keys, build output); installed dependencies are linked, read-only when confined.
 */
import * as fs from "node:fs"
import * as fsp from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"
import { TestRunError } from "../../core/errors.ts"
import type { StagedChange } from "../../core/services/FileManager.ts"
import { makeIgnoreRules } from "../git/isomorphic-git/IgnoreRules.ts"
import { gitdirOf } from "../git/isomorphic-git/LooseObjects.ts"
import { inside, ownNodeModules } from "./ConfinedEnvironment.ts"

const exists = (target: string) =>
  fsp.stat(target).then(
    () => true,
    () => false
  )

/** Installed dependencies the tests need as they are: linked, never copied or tracked. */
export const dependencyFolders: ReadonlySet<string> = new Set(["node_modules", ".venv", "venv"])
/** Never in a sandbox: version control and our own state. */
const internal = new Set([".git", ".tamma"])
/** Without git to say what belongs to the project: names that hold secrets are left out too. */
const secretName = /^\.env(\..*)?$|\.pem$|^id_(rsa|dsa|ecdsa|ed25519)/

/** Where a live sandbox comes from: the confinement binds these. */
export interface SandboxOrigin {
  /** The real path of the workspace copied. */
  readonly workspace: string
  /** The real dependency folders the sandbox links to, bound read-only. */
  readonly dependencies: ReadonlyArray<string>
}

const originBySandbox = new Map<string, SandboxOrigin>()

/** Where `sandbox` comes from; undefined for a folder this module did not create. */
export const sandboxOrigin = (sandbox: string): SandboxOrigin | undefined => originBySandbox.get(sandbox)

/**
 * The workspace's files the sandbox holds, relative to it: what git tracks (the work tree's
 * content, as tests would see it), or, outside a repository, every file its .gitignore files
 * do not ignore and whose name does not look like a secret.
 */
const projectFiles = async (workspace: string): Promise<ReadonlyArray<string>> => {
  const git = await import("isomorphic-git")
  const root = await git.findRoot({ fs, filepath: workspace }).catch(() => undefined)
  if (root !== undefined) {
    const gitdir = await gitdirOf(root)
    const prefix = path.relative(root, workspace)
    const tracked = await git.listFiles({ fs, dir: root, gitdir })
    return tracked
      .filter((file) => prefix === "" || file.startsWith(`${prefix}/`))
      .map((file) => (prefix === "" ? file : file.slice(prefix.length + 1)))
  }
  const ignored = makeIgnoreRules(workspace, path.join(workspace, ".git"))
  const found: Array<string> = []
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await fsp.readdir(path.join(workspace, relative), { withFileTypes: true })) {
      const file = relative === "" ? entry.name : `${relative}/${entry.name}`
      const linked = relative === "" && dependencyFolders.has(entry.name)
      if (linked || internal.has(entry.name) || secretName.test(entry.name) || ignored(file)) continue
      if (entry.isDirectory()) await walk(file)
      else found.push(file)
    }
  }
  await walk("")
  return found
}

/**
 * Makes the parent folder of `target` inside the sandbox `dir`, refusing a parent that a link
 * leads out of it: `mkdir` and `writeFile` would follow it to the user's files.
 */
const parentInside = async (dir: string, target: string) => {
  let existing = path.dirname(target)
  while (!(await exists(existing))) existing = path.dirname(existing)
  if (!inside(await fsp.realpath(existing), dir))
    throw new Error(`${path.relative(dir, target)} is outside the workspace`)
  await fsp.mkdir(path.dirname(target), { recursive: true })
}

/**
 * Copies one project file; a tracked file the work tree no longer has is simply absent, and so
 * is one whose real path is outside the workspace (a folder replaced by a link to elsewhere).
 */
const copyFile = async (workspace: string, dir: string, file: string) => {
  const source = path.join(workspace, file)
  const target = path.join(dir, file)
  const stat = await fsp.lstat(source).catch(() => undefined)
  if (stat === undefined) return
  await parentInside(dir, target)
  // Symlinks stay links: confined, one that points out of the sandbox leads nowhere.
  if (stat.isSymbolicLink()) await fsp.symlink(await fsp.readlink(source), target)
  else if (stat.isFile() && inside(await fsp.realpath(source), workspace)) await fsp.copyFile(source, target)
}

/**
 * Links the workspace's installed dependencies, when they really are inside it (a link named
 * `node_modules` to elsewhere would expose that folder); a JavaScript workspace without its own
 * gets this package's. Returns the real folders linked.
 */
const linkDependencies = async (workspace: string, dir: string): Promise<ReadonlyArray<string>> => {
  const linked: Array<string> = []
  const realWorkspace = await fsp.realpath(workspace)
  for (const name of dependencyFolders) {
    const target = await fsp.realpath(path.join(workspace, name)).catch(() => undefined)
    if (target === undefined || !target.startsWith(`${realWorkspace}/`)) continue
    await fsp.rm(path.join(dir, name), { recursive: true, force: true })
    await fsp.symlink(target, path.join(dir, name))
    linked.push(target)
  }
  if ((await exists(path.join(dir, "package.json"))) && !(await exists(path.join(dir, "node_modules")))) {
    await fsp.symlink(ownNodeModules, path.join(dir, "node_modules"))
    linked.push(ownNodeModules)
  }
  return linked
}

const build = async (workspace: string, changes: ReadonlyArray<StagedChange>, dir: string) => {
  const realWorkspace = await fsp.realpath(workspace)
  for (const file of await projectFiles(realWorkspace)) {
    const top = file.split("/")[0] ?? file
    if (!dependencyFolders.has(top) && !internal.has(top)) await copyFile(realWorkspace, dir, file)
  }
  originBySandbox.set(dir, { workspace: realWorkspace, dependencies: await linkDependencies(workspace, dir) })
  for (const change of changes) {
    const target = path.resolve(dir, change.path)
    if (!target.startsWith(`${dir}/`)) throw new Error(`${change.path} is outside the workspace`)
    await parentInside(dir, target)
    // A link at the target is replaced, never written through.
    await fsp.rm(target, { force: true })
    if (change.after !== undefined) await fsp.writeFile(target, change.after)
  }
}

/**
 * A temp folder (its real path) holding the workspace's project files plus `changes`, removed
 * when the scope closes. Its name carries our pid, so a later start removes it if we are killed.
 * It is made in `parent` when given (a compile server's root), else in the temp folder.
 */
export const stagedSandbox = (workspace: string, changes: ReadonlyArray<StagedChange>, parent: string = os.tmpdir()) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const dir = await fsp.realpath(await fsp.mkdtemp(path.join(parent, `tamma-sandbox-${process.pid}-`)))
        try {
          await build(workspace, changes, dir)
        } catch (cause) {
          originBySandbox.delete(dir)
          await fsp.rm(dir, { recursive: true, force: true })
          throw cause
        }
        return dir
      },
      catch: (cause) =>
        new TestRunError({ framework: "sandbox", detail: `could not copy ${workspace}: ${String(cause)}` })
    }),
    (dir) =>
      Effect.promise(() => {
        originBySandbox.delete(dir)
        return fsp.rm(dir, { recursive: true, force: true })
      })
  )
