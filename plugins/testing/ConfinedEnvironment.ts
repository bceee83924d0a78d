/**
 * ConfinedEnvironment: the only variables a confined command sees, and the toolchain folders it
 * may read. An allow-list: whatever else the parent has (keys, tokens, cloud credentials) never
 * reaches code under test.
 */
import { existsSync, realpathSync } from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"

/**
 * The folder this package's dependencies are installed in, found as Node finds them (the
 * checkout's `node_modules`, or that of the project that installed the package), never from
 * where this file sits: compile checks read this package's TypeScript there, and a JavaScript
 * workspace without a `node_modules` of its own borrows it.
 */
export const ownNodeModules = (() => {
  const resolved = realpathSync(createRequire(import.meta.url).resolve("effect"))
  const marker = `${path.sep}node_modules${path.sep}`
  return resolved.slice(0, resolved.lastIndexOf(marker) + marker.length - 1)
})()

/** Folders every sandbox mounts read-only anyway: a PATH entry under one needs no bind of its own. */
export const systemFolders: ReadonlyArray<string> = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]

/** Whether `folder` is `parent` or below it (both absolute and normalised). */
export const inside = (folder: string, parent: string) => folder === parent || folder.startsWith(`${parent}/`)

/** How much of a confined command's output is kept: its last 256 KiB say the most. */
export const outputCap = 256 * 1024

const real = (file: string): string | undefined => {
  try {
    return realpathSync(file)
  } catch {
    return undefined
  }
}

/** The scratch folders of a confined command: HOME and TMPDIR point there, never at the user's. */
export const scratchFolders = (scratch: string) => ({
  home: path.join(scratch, "home"),
  tmp: path.join(scratch, "tmp"),
  goPath: path.join(scratch, "go"),
  goCache: path.join(scratch, "go-build")
})

export interface Toolchains {
  /** Variables that tell the tools where their toolchain is and keep them offline. */
  readonly env: Readonly<Record<string, string>>
  /** Folders (real path → path seen inside) the tools read: bound read-only. */
  readonly readOnly: ReadonlyArray<{ readonly source: string; readonly target: string }>
}

/**
 * Where the toolchains are, from the parent's environment: Node of this package, Python (pyenv,
 * user site), Rust (rustup, cargo's registry but never its credentials), Go (its module cache),
 * Java, Maven's local repository.
 */
export const toolchainsOf = (parent: NodeJS.ProcessEnv, scratch: string): Toolchains => {
  const home = os.homedir()
  const folders = scratchFolders(scratch)
  const env: Record<string, string> = {}
  const readOnly: Array<{ source: string; target: string }> = []
  const bind = (target: string) => {
    const source = real(target)
    if (source !== undefined && !readOnly.some((b) => b.target === target)) readOnly.push({ source, target })
    return source !== undefined
  }
  const fromParent = (name: string, fallback?: string) => {
    const value = parent[name] ?? fallback
    return value !== undefined && path.isAbsolute(value) && existsSync(value) ? value : undefined
  }

  // PATH entries, but never a folder that holds the home folder itself (that would bind all of it).
  for (const entry of (parent.PATH ?? "").split(path.delimiter)) {
    if (!path.isAbsolute(entry) || entry === "/" || inside(home, entry)) continue
    if (systemFolders.some((system) => inside(entry, system))) continue
    bind(entry)
  }
  bind(ownNodeModules)
  bind(path.dirname(path.dirname(process.execPath)))

  const pyenv = fromParent("PYENV_ROOT")
  if (pyenv !== undefined && bind(pyenv)) env.PYENV_ROOT = pyenv
  if (parent.PYENV_VERSION !== undefined) env.PYENV_VERSION = parent.PYENV_VERSION
  const userBase = fromParent("PYTHONUSERBASE", path.join(home, ".local"))
  if (userBase !== undefined && bind(path.join(userBase, "lib"))) env.PYTHONUSERBASE = userBase

  const rustup = fromParent("RUSTUP_HOME", path.join(home, ".rustup"))
  if (rustup !== undefined && bind(rustup)) env.RUSTUP_HOME = rustup
  if (parent.RUSTUP_TOOLCHAIN !== undefined) env.RUSTUP_TOOLCHAIN = parent.RUSTUP_TOOLCHAIN
  const cargo = fromParent("CARGO_HOME", path.join(home, ".cargo"))
  if (cargo !== undefined) {
    // Its binaries, downloaded crates and config; `credentials.toml` holds a registry token.
    for (const part of ["bin", "registry", "git", "config.toml", "config"]) bind(path.join(cargo, part))
    env.CARGO_HOME = cargo
  }

  const goRoot = fromParent("GOROOT")
  if (goRoot !== undefined && bind(goRoot)) env.GOROOT = goRoot
  const goModules = fromParent("GOMODCACHE", path.join(parent.GOPATH ?? path.join(home, "go"), "pkg", "mod"))
  env.GOMODCACHE = goModules !== undefined && bind(goModules) ? goModules : path.join(folders.goPath, "pkg", "mod")

  const javaHome = fromParent("JAVA_HOME")
  if (javaHome !== undefined && bind(javaHome)) env.JAVA_HOME = javaHome
  // Maven's downloaded artifacts, read-only (it runs offline); never ~/.m2/settings.xml, it holds passwords.
  const mavenRepository = path.join(home, ".m2", "repository")
  if (bind(mavenRepository)) env.MAVEN_OPTS = `-Dmaven.repo.local=${mavenRepository}`

  return { env, readOnly }
}

/**
 * The whole environment of a confined command: PATH, locale, HOME and TMPDIR in the scratch
 * folder, the toolchains' own variables with offline settings, then `extra` (the tool's own).
 */
export const confinedEnvironment = (
  parent: NodeJS.ProcessEnv,
  scratch: string,
  toolchains: Toolchains,
  extra: Readonly<Record<string, string>> = {}
): Record<string, string> => {
  const folders = scratchFolders(scratch)
  const locale: Record<string, string> = { LANG: parent.LANG ?? "C.UTF-8" }
  for (const name of ["LC_ALL", "LC_CTYPE", "TZ"]) {
    const value = parent[name]
    if (value !== undefined) locale[name] = value
  }
  return {
    PATH: parent.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    ...locale,
    HOME: folders.home,
    TMPDIR: folders.tmp,
    TMP: folders.tmp,
    TEMP: folders.tmp,
    XDG_CACHE_HOME: path.join(folders.home, ".cache"),
    XDG_CONFIG_HOME: path.join(folders.home, ".config"),
    XDG_DATA_HOME: path.join(folders.home, ".local", "share"),
    CI: "true",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    PYTHONDONTWRITEBYTECODE: "1",
    PIP_NO_INDEX: "1",
    CARGO_NET_OFFLINE: "true",
    GOPATH: folders.goPath,
    GOCACHE: folders.goCache,
    GOFLAGS: "-mod=mod",
    GOPROXY: "off",
    GOSUMDB: "off",
    GOTOOLCHAIN: "local",
    npm_config_offline: "true",
    ...toolchains.env,
    ...extra
  }
}
