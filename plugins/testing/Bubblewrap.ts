/**
 * Bubblewrap: the command line that confines a command with `bwrap` — no network, new pid, ipc
 * and uts namespaces, no capabilities, dies with its parent, a read-only system and toolchains,
 * an empty /tmp, and only the sandbox and its scratch folder writable.
 */
import { lstatSync, readdirSync, readlinkSync } from "node:fs"
import * as path from "node:path"
import { systemFolders, type Toolchains } from "./ConfinedEnvironment.ts"
import { findExecutable } from "./Executables.ts"

/** `bwrap` on the parent's PATH, or undefined when it is not installed. */
export const findBubblewrap = (searchPath: string | undefined): string | undefined =>
  findExecutable("bwrap", searchPath ?? "")

export const installAdvice =
  "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)"
export const optOutAdvice =
  'opt out with "tests": { "isolation": "none" } in your user config ($XDG_CONFIG_HOME/tamma/config.json) to run tests unconfined'

/**
 * The namespace flags that work on this machine, strongest first: a user namespace where the
 * kernel allows one; as root without it, bwrap still drops every capability.
 */
export const namespaceVariants: ReadonlyArray<ReadonlyArray<string>> = [["--unshare-user"], []]

/** What /etc a tool needs: the dynamic linker, users, name lookup, time, certificates, JVM and Python config. */
const etcEntries = (): ReadonlyArray<string> => {
  const fixed = [
    "alternatives",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "passwd",
    "group",
    "nsswitch.conf",
    "hosts",
    "host.conf",
    "localtime",
    "timezone",
    "ssl",
    "ca-certificates",
    "mime.types",
    "os-release",
    "debian_version",
    "maven"
  ]
  let versioned: Array<string> = []
  try {
    versioned = readdirSync("/etc").filter((name) => /^(java|python3)/.test(name))
  } catch {}
  return [...fixed, ...versioned].map((name) => path.join("/etc", name))
}

/** `folders` as the host has them, read-only: merged-/usr symlinks stay symlinks, missing ones are left out. */
export const hostFolderArgs = (folders: ReadonlyArray<string>): Array<string> =>
  folders.flatMap((folder) => {
    try {
      const stat = lstatSync(folder)
      if (stat.isSymbolicLink()) return ["--symlink", readlinkSync(folder), folder]
      return stat.isDirectory() ? ["--ro-bind", folder, folder] : []
    } catch {
      return []
    }
  })

/** The system folders as the host has them. */
const systemArgs = (): Array<string> => hostFolderArgs(systemFolders)

/**
 * The sandbox's entries, one by one, at the workspace's path: a dependency folder there is the
 * real one (bound read-only by its own path), and a link stays a link, never a bind of its target.
 */
const mirrorBinds = (mirror: { readonly source: string; readonly target: string }, dependencies: ReadonlySet<string>) =>
  readdirSync(mirror.source, { withFileTypes: true }).flatMap((entry) => {
    const source = path.join(mirror.source, entry.name)
    const target = path.join(mirror.target, entry.name)
    if (dependencies.has(target)) return []
    if (entry.isSymbolicLink()) return [{ flag: "--symlink", source: readlinkSync(source), target }]
    return [{ flag: "--bind", source, target }]
  })

export interface BubblewrapPlan {
  readonly namespaces: ReadonlyArray<string>
  /** The real paths of the folders the command may write: the sandbox, then its scratch. */
  readonly writable: ReadonlyArray<string>
  readonly toolchains: Toolchains
  /** Folders read-only besides the toolchains: the sandbox's linked dependencies. */
  readonly dependencies: ReadonlyArray<string>
  /**
   * The sandbox shown again at the workspace's own path, so that links into the workspace (a
   * monorepo's packages in `node_modules`, an editable install in `.venv`) reach the sandbox's
   * copy, never the user's files.
   */
  readonly mirror?: { readonly source: string; readonly target: string } | undefined
  readonly cwd: string
}

/** The arguments of `bwrap` before `--` and the command. */
export const bubblewrapArgs = (plan: BubblewrapPlan): Array<string> => {
  const binds = [
    ...plan.toolchains.readOnly.map((b) => ({ flag: "--ro-bind", source: b.source, target: b.target })),
    ...plan.dependencies.map((dir) => ({ flag: "--ro-bind", source: dir, target: dir })),
    ...plan.writable.map((dir) => ({ flag: "--bind", source: dir, target: dir })),
    ...(plan.mirror === undefined ? [] : mirrorBinds(plan.mirror, new Set(plan.dependencies)))
  ]
  // Outer folders first, so a read-only folder inside a writable one stays read-only.
  binds.sort((a, b) => a.target.split("/").length - b.target.split("/").length)
  return [
    ...plan.namespaces,
    "--unshare-net",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--die-with-parent",
    // A new session: code under test cannot push keystrokes into the user's terminal.
    "--new-session",
    "--cap-drop",
    "ALL",
    ...systemArgs(),
    ...etcEntries().flatMap((entry) => ["--ro-bind-try", entry, entry]),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/dev/shm",
    "--tmpfs",
    "/tmp",
    ...binds.flatMap((b) => [b.flag, b.source, b.target]),
    "--chdir",
    plan.cwd
  ]
}
