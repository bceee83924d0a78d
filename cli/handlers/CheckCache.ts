/**
 * The content-hash cache of `validate`, in `<workspace>/.tamma/cache/validate.json` (`.tamma/` is
 * kept out of git by the pipeline): a file whose bytes, path, tool versions and effective
 * configuration are unchanged is not checked again. The cache file is workspace content, so it is
 * never trusted: it is decoded with Schema, and each entry carries an HMAC under a secret kept in
 * the user's own cache folder, so an entry committed or planted by someone else (a clean report
 * for a hostile file) does not verify and is ignored. Writes go to a fresh file renamed into place.
 */
import { createHash, createHmac, randomBytes } from "node:crypto"
import { constants as fsConstants } from "node:fs"
import * as fs from "node:fs/promises"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Option, Schema } from "effect"
import { configuration as biomeConfiguration } from "../../plugins/quality/biome/BiomeConfig.ts"
import { findSetup } from "../../plugins/quality/biome/NativeSetup.ts"
import { packageRoot } from "../Invocation.ts"
import { type CheckOutcome, FileReport } from "./CheckFiles.ts"
import { thisCodeDigest } from "./OwnCodeDigest.ts"

const Entry = Schema.Struct({ mac: Schema.String, report: Schema.String })
const CacheFile = Schema.Struct({
  version: Schema.Literal(1),
  entries: Schema.Record(Schema.String, Entry)
})
type CacheFile = typeof CacheFile.Type
const decodeCacheFile = Schema.decodeUnknownOption(Schema.fromJsonString(CacheFile))
const decodeReport = Schema.decodeUnknownOption(Schema.fromJsonString(FileReport))
const encodeReport = Schema.encodeSync(Schema.fromJsonString(FileReport))

/** A cache file larger than this is not read (a hostile one must not exhaust memory). */
const maxCacheBytes = 64 * 1024 * 1024
/** Entries kept at most; the oldest go first. */
const maxEntries = 100_000

const require = createRequire(import.meta.url)

/**
 * The packages whose version changes what a check reports, each read by a literal specifier so
 * that what the package loads at run time can be read from its code.
 */
const toolManifests: ReadonlyArray<readonly [string, () => unknown]> = [
  ["@biomejs/wasm-nodejs", () => require("@biomejs/wasm-nodejs/package.json")],
  ["@biomejs/js-api", () => require("@biomejs/js-api/package.json")],
  ["eslint", () => require("eslint/package.json")],
  ["eslint-plugin-security", () => require("eslint-plugin-security/package.json")],
  ["typescript-eslint", () => require("typescript-eslint/package.json")],
  ["@secretlint/core", () => require("@secretlint/core/package.json")],
  [
    "@secretlint/secretlint-rule-preset-recommend",
    () => require("@secretlint/secretlint-rule-preset-recommend/package.json")
  ],
  ["web-tree-sitter", () => require("web-tree-sitter/package.json")],
  ["@vscode/tree-sitter-wasm", () => require("@vscode/tree-sitter-wasm/package.json")]
]

const versionOf = (load: () => unknown): string => {
  try {
    const manifest = load()
    const version =
      typeof manifest === "object" && manifest !== null && "version" in manifest ? manifest.version : undefined
    return typeof version === "string" ? version : "unknown"
  } catch {
    return "unknown"
  }
}

/** The versions of the tools and of tamma-codegen itself: a new version of any misses the cache. */
export const toolVersions = (): Readonly<Record<string, string>> => {
  // From the package's root: `cli/handlers/` in a checkout, `dist/cli/handlers/` once built.
  const own = versionOf(() => require(path.join(packageRoot, "package.json")))
  return Object.fromEntries([["@tamma/codegen", own], ...toolManifests.map(([name, load]) => [name, versionOf(load)])])
}

/** What a file's report depends on besides its bytes. */
export interface CacheSettings {
  readonly tools: Readonly<Record<string, string>>
  /** The digest of our own code: the version alone stays put in a checkout while the rules change. */
  readonly code: string
  readonly language: string | undefined
  readonly maxBytes: number
  /**
   * Whether Biome's native CLI answers here rather than its wasm build: the same findings, but a
   * fix hint's text may differ (the CLI's advice or the rule's summary), so a report cached on a
   * machine with one is not given back on a machine with the other.
   */
  readonly biomeNative: boolean
}

/**
 * The key of one file: its bytes, its path, whether ESLint sees it, the tools (and which build of
 * Biome answers), our code and the configuration.
 */
export const cacheKey = (settings: CacheSettings, file: string, eslint: boolean, content: Uint8Array): string =>
  createHash("sha256")
    .update(
      JSON.stringify({
        tools: settings.tools,
        code: settings.code,
        language: settings.language ?? null,
        maxBytes: settings.maxBytes,
        biome: biomeConfiguration(),
        biomeNative: settings.biomeNative,
        eslint,
        file
      })
    )
    .update("\0")
    .update(content)
    .digest("hex")

/** The user's own cache folder: `$XDG_CACHE_HOME/tamma`, else `~/.cache/tamma`. */
const userCacheDir = () => {
  const xdg = process.env.XDG_CACHE_HOME
  return path.join(xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".cache"), "tamma")
}

/** The secret entries are signed with, created on first use, readable by the user alone. */
const cacheSecret = async (): Promise<Buffer> => {
  const dir = userCacheDir()
  const file = path.join(dir, "cache-secret")
  await fs.mkdir(dir, { recursive: true, mode: 0o700 })
  await fs.writeFile(file, randomBytes(32), { flag: "wx", mode: 0o600 }).catch((error: unknown) => {
    if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error
  })
  const secret = await fs.readFile(file)
  if (secret.length < 32) throw new Error("cache secret too short")
  return secret
}

/** `.tamma/cache` of the workspace, created as real folders; a symlink in its place disables the cache. */
const cacheDir = async (workspace: string): Promise<string> => {
  let dir = path.resolve(workspace)
  for (const part of [".tamma", "cache"]) {
    dir = path.join(dir, part)
    await fs.mkdir(dir).catch((error: unknown) => {
      if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error
    })
    const stat = await fs.lstat(dir)
    if (!stat.isDirectory()) throw new Error(`${dir} is not a folder`)
  }
  return dir
}

const readCacheFile = async (file: string): Promise<CacheFile | undefined> => {
  // No following a symlink planted in the cache's place, and no reading an endless file.
  const handle = await fs
    .open(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK)
    .catch(() => undefined)
  if (handle === undefined) return undefined
  try {
    const stat = await handle.stat()
    if (!stat.isFile() || stat.size > maxCacheBytes) return undefined
    return Option.getOrUndefined(decodeCacheFile(await handle.readFile("utf8")))
  } finally {
    await handle.close()
  }
}

/** The bytes of `file` when it is a regular file within the limit; else nothing is cached for it. */
const contentOf = (file: string, maxBytes: number): Promise<Buffer | undefined> =>
  fs
    .stat(file)
    .then((stat) => (stat.isFile() && stat.size <= maxBytes ? fs.readFile(file) : undefined))
    .catch(() => undefined)

interface Store {
  readonly dir: string
  readonly secret: Buffer
  readonly entries: Map<string, typeof Entry.Type>
}

const openStore = async (workspace: string): Promise<Store | undefined> => {
  try {
    const [dir, secret] = await Promise.all([cacheDir(workspace), cacheSecret()])
    const stored = await readCacheFile(path.join(dir, "validate.json"))
    return { dir, secret, entries: new Map(Object.entries(stored?.entries ?? {})) }
  } catch {
    // A cache that cannot be opened safely is no cache: every file is checked.
    return undefined
  }
}

const macOf = (secret: Buffer, key: string, report: string) =>
  createHmac("sha256", secret).update(key).update("\0").update(report).digest("hex")

const lookup = (store: Store, key: string, file: string): FileReport | undefined => {
  const entry = store.entries.get(key)
  if (entry === undefined || entry.mac !== macOf(store.secret, key, entry.report)) return undefined
  const report = Option.getOrUndefined(decodeReport(entry.report))
  return report?.path === file ? report : undefined
}

const saveStore = async (store: Store) => {
  const entries = [...store.entries].slice(-maxEntries)
  const text = JSON.stringify({ version: 1, entries: Object.fromEntries(entries) } satisfies CacheFile)
  const temp = path.join(store.dir, `validate.${process.pid}.${randomBytes(6).toString("hex")}.tmp`)
  try {
    await fs.writeFile(temp, text, { flag: "wx", mode: 0o600 })
    await fs.rename(temp, path.join(store.dir, "validate.json"))
  } catch {
    // A cache not saved costs the next run time, nothing else.
    await fs.rm(temp, { force: true })
  }
}

export interface CachedCheckOptions {
  readonly workspace: string
  readonly language: string | undefined
  readonly maxBytes: number
  readonly withoutEslint: ReadonlyArray<string>
  /** `false` for `--no-cache`: every file is checked and the cache is left alone. */
  readonly enabled: boolean
  readonly tools?: Readonly<Record<string, string>> | undefined
  /** The digest of our own code; by default that of the code running. */
  readonly code?: string | undefined
  /** Whether Biome's native CLI answers; by default, whether its binary and bubblewrap are found. */
  readonly biomeNative?: boolean | undefined
}

/**
 * Outcomes of `files` in order, those of unchanged files from the cache and the rest from `check`
 * (called with the files it must check, and those of them ESLint must not see), and how many came
 * from the cache.
 */
export const cachedCheck = <E, R>(
  files: ReadonlyArray<string>,
  options: CachedCheckOptions,
  check: (
    files: ReadonlyArray<string>,
    withoutEslint: ReadonlyArray<string>
  ) => Effect.Effect<ReadonlyArray<CheckOutcome>, E, R>
): Effect.Effect<{ readonly outcomes: ReadonlyArray<CheckOutcome>; readonly cached: number }, E, R> =>
  Effect.gen(function* () {
    if (!options.enabled) {
      return { outcomes: yield* check(files, options.withoutEslint), cached: 0 }
    }
    const [store, code] = yield* Effect.promise(() =>
      Promise.all([openStore(options.workspace), options.code ?? thisCodeDigest()])
    )
    if (store === undefined) return { outcomes: yield* check(files, options.withoutEslint), cached: 0 }
    const settings: CacheSettings = {
      tools: options.tools ?? toolVersions(),
      code,
      language: options.language,
      maxBytes: options.maxBytes,
      biomeNative: options.biomeNative ?? findSetup() !== undefined
    }
    const skip = new Set(options.withoutEslint)
    const keyOf = (file: string) =>
      Effect.promise(() => contentOf(file, options.maxBytes)).pipe(
        Effect.map((content) =>
          content === undefined ? undefined : cacheKey(settings, file, !skip.has(file), content)
        )
      )
    const keys = yield* Effect.forEach(files, keyOf, { concurrency: 16 })
    const hits = files.map((file, index) => {
      const key = keys[index]
      return key === undefined ? undefined : lookup(store, key, file)
    })
    const misses = files.filter((_, index) => hits[index] === undefined)
    const checked =
      misses.length === 0
        ? []
        : yield* check(
            misses,
            misses.filter((file) => skip.has(file))
          )
    const byFile = new Map(misses.map((file, index) => [file, checked[index] ?? null]))
    let added = 0
    for (const [index, file] of files.entries()) {
      const outcome = byFile.get(file)
      const key = keys[index]
      if (hits[index] !== undefined || key === undefined || !(outcome instanceof FileReport)) continue
      // Keyed as the native CLI's, answered by the wasm build (a run that failed, or the CLI turned off
      // midway): its fix hints are not the native CLI's, so it is not kept under that key.
      if (settings.biomeNative && outcome.biomeWasm === true) continue
      // The file may have changed while it was checked: store the report only under the bytes it is about.
      if ((yield* keyOf(file)) !== key) continue
      const report = encodeReport(outcome)
      store.entries.delete(key)
      store.entries.set(key, { mac: macOf(store.secret, key, report), report })
      added++
    }
    if (added > 0) yield* Effect.promise(() => saveStore(store))
    return {
      outcomes: files.map((file, index) => hits[index] ?? byFile.get(file) ?? null),
      cached: hits.filter((hit) => hit !== undefined).length
    }
  })
