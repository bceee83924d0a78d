/**
 * The configuration of a run from its sources, by trust. The workspace's `tamma.config.json` is
 * committed by whoever wrote the repository: it may choose the model and the gate, never where
 * the user's credentials go, what is read or written outside the workspace, or whether tests
 * run confined. Those settings come only from the user's own config
 * (`$XDG_CONFIG_HOME/tamma/config.json`, default `~/.config/tamma/config.json`), the
 * environment, or a flag; the workspace's are dropped with a warning, or refused (exit 2) where
 * dropping would change what the run does behind the user's back (a transcript to replay).
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { Console, Effect, Schema } from "effect"
import { type CodeGenConfig, decodeConfig, defaultConfig } from "../core/domain/Config.ts"
import { ConfigInvalidError } from "../core/errors.ts"
import { defaultMaxTokens } from "../plugins/ai/anthropic/Anthropic.ts"
import { envString } from "../plugins/ai/ProviderEnv.ts"
import { jsonSyntaxProblem, readWorkspaceConfigText } from "./Input.ts"
import { prototypeKeyPath } from "./PrototypeKey.ts"
import { visible } from "./TerminalText.ts"

type Json = Record<string, unknown>

const decodeObject = Schema.decodeUnknownEffect(Schema.fromJsonString(Schema.Record(Schema.String, Schema.Unknown)))
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)
const objectAt = (value: Json, key: string): Json => {
  const inner = value[key]
  return isObject(inner) ? inner : {}
}
const stringAt = (value: Json, key: string): string | undefined => {
  const inner = value[key]
  return typeof inner === "string" ? inner : undefined
}
const without = (value: Json, keys: ReadonlyArray<string>): Json =>
  Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)))
const defined = (value: Json): Json => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined))

/**
 * Limits on what a run may spend of the user's model key and time: rounds, tokens, retries, the
 * context put in each prompt, and how long a call or a test run may take. The workspace may lower them, never raise them above
 * the user's own setting or, without one, the default.
 */
const spendingLimits: ReadonlyArray<{
  readonly section?: "provider" | "tests" | "files"
  readonly key: string
  /** `undefined`: the provider's default, `defaultMaxTokens` (Anthropic's; the OpenAI wire sends none). */
  readonly fallback: number | undefined
}> = [
  { key: "maxIterations", fallback: defaultConfig.maxIterations },
  { key: "tokenBudget", fallback: defaultConfig.tokenBudget },
  { section: "provider", key: "maxRetries", fallback: defaultConfig.provider.maxRetries },
  { section: "provider", key: "timeoutMs", fallback: defaultConfig.provider.timeoutMs },
  // Tokens of existing code in every prompt: each call's input.
  { section: "provider", key: "contextTokens", fallback: defaultConfig.provider.contextTokens },
  { section: "tests", key: "timeoutMs", fallback: defaultConfig.tests.timeoutMs },
  // Output tokens of each call.
  { section: "provider", key: "maxTokens", fallback: undefined },
  // Bytes of one answer held in memory while it arrives.
  { section: "provider", key: "maxAnswerBytes", fallback: defaultConfig.provider.maxAnswerBytes },
  // Bytes of one file a run writes, and `validate` and `format` read (through `loadCommandConfig`).
  { section: "files", key: "maxFileBytes", fallback: defaultConfig.files.maxFileBytes }
]

/** Providers that send the user's key with every request. */
const keyedProviders: ReadonlySet<unknown> = new Set(["anthropic", "openai"])
/** Where a key comes from for `openai-compatible` when the user's config names no variable. */
export const compatibleKeyVariable = "OPENAI_COMPATIBLE_API_KEY"

/** The user's own config file: `$XDG_CONFIG_HOME/tamma/config.json`, else `~/.config/tamma/config.json`. */
export const userConfigPath = Effect.fnUntraced(function* () {
  const xdg = yield* envString("XDG_CONFIG_HOME")
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".config")
  return path.join(base, "tamma", "config.json")
})

/** A config file's text as the user wrote it, `undefined` when absent. */
const readUserConfigText = (file: string) => Effect.promise(() => fs.readFile(file, "utf8").catch(() => undefined))

/** A config file as a JSON object, checked against `CodeGenConfig` so errors name the file; `{}` when absent. */
const readConfigFile = Effect.fnUntraced(function* (
  file: string,
  read: Effect.Effect<string | undefined, ConfigInvalidError>
) {
  const text = yield* read
  if (text === undefined) return {}
  const invalid = (error: { readonly message: string }) =>
    new ConfigInvalidError({ source: file, details: error.message })
  const syntax = jsonSyntaxProblem(text)
  if (syntax !== undefined) return yield* invalid({ message: `not valid JSON at ${syntax}` })
  const raw = yield* decodeObject(text).pipe(Effect.mapError(invalid))
  // Read from the text itself: it parsed, and `JSON.parse` keeps every `__proto__` a plain key.
  const prototypeKey = prototypeKeyPath(JSON.parse(text))
  if (prototypeKey !== undefined) {
    return yield* invalid({
      message: `${prototypeKey} is not a config key: it would set what every key its object leaves out reads`
    })
  }
  yield* decodeConfig(raw).pipe(Effect.mapError(invalid))
  return raw
})

/** Objects merged key by key, `over` winning; arrays and values replaced whole. */
const merge = (under: Json, over: Json): Json => {
  const out: Json = { ...under }
  for (const [key, value] of Object.entries(over)) {
    const below = out[key]
    out[key] = isObject(value) && isObject(below) ? merge(below, value) : value
  }
  return out
}

/** A path with its deepest existing part resolved through its symlinks. */
const realPath = Effect.fnUntraced(function* (target: string) {
  let existing = target
  let real: string | undefined
  while (real === undefined) {
    real = yield* Effect.promise(() => fs.realpath(existing).catch(() => undefined))
    if (real === undefined) {
      const parent = path.dirname(existing)
      if (parent === existing) break
      existing = parent
    }
  }
  return path.join(real ?? existing, path.relative(existing, target))
})

/**
 * A transcript path of the workspace's config, absolute, when it stays inside the workspace (after
 * `..` and symlinks, and not under `.git/`) and, for one the run writes, under `.tamma/` (where
 * appending cannot damage the user's files); otherwise a `ConfigInvalidError`.
 */
const insideWorkspace = Effect.fnUntraced(function* (
  workspace: string,
  source: string,
  field: "record" | "replay",
  value: string
) {
  const resolved = yield* realPath(path.resolve(workspace, value))
  const relative = path.relative(workspace, resolved)
  const outside = relative === "" || relative.startsWith("..") || path.isAbsolute(relative)
  const parts = relative.split(path.sep)
  if (outside || parts.some((part) => part.toLowerCase() === ".git")) {
    return yield* new ConfigInvalidError({
      source,
      details: `provider.${field} "${value}" leaves the workspace (or enters .git): from tamma.config.json a transcript must stay inside the workspace; put another path in your own config (${yield* userConfigPath()})`
    })
  }
  if (field === "record" && (parts[0] !== ".tamma" || parts.length < 2)) {
    return yield* new ConfigInvalidError({
      source,
      details: `provider.record "${value}" is not under .tamma/: from tamma.config.json a transcript is written only there (e.g. .tamma/transcripts/run.jsonl); put another path in your own config (${yield* userConfigPath()})`
    })
  }
  return resolved
})

export interface RunConfigFlags {
  readonly allowDirty: boolean
  readonly provider: CodeGenConfig["provider"]["name"] | undefined
  readonly model: string | undefined
  readonly baseUrl: string | undefined
}

/** What the run is configured with, and what of the workspace's config was ignored, in words. */
export interface RunConfig {
  readonly config: CodeGenConfig
  readonly warnings: ReadonlyArray<string>
}

/**
 * The run's config: the user's config, the workspace's over it (less what it may not set), then
 * the flags. A base URL or key variable of the user's config applies to the provider its entry
 * names (to any, when it names none).
 */
export const loadRunConfig = Effect.fn("loadRunConfig")(function* (workspace: string, flags: RunConfigFlags) {
  const userFile = yield* userConfigPath()
  const workspaceFile = path.join(workspace, "tamma.config.json")
  const user = yield* readConfigFile(userFile, readUserConfigText(userFile))
  const shared = yield* readConfigFile(workspaceFile, readWorkspaceConfigText(workspace))
  const warnings: Array<string> = []
  const ignored = (field: string, why: string) =>
    warnings.push(`tamma.config.json: ${field} is ignored: ${why}; set it in ${userFile}, the environment or a flag`)

  // Copies, so a raise the workspace may not make is dropped from them alone.
  const sharedSections = {
    provider: { ...objectAt(shared, "provider") },
    tests: { ...objectAt(shared, "tests") },
    files: { ...objectAt(shared, "files") }
  }
  const sharedTop = { ...shared }
  for (const { section, key, fallback } of spendingLimits) {
    const from = section === undefined ? sharedTop : sharedSections[section]
    const ceiling = (section === undefined ? user : objectAt(user, section))[key]
    const limit = typeof ceiling === "number" ? ceiling : (fallback ?? defaultMaxTokens)
    const value = from[key]
    // Not a number: left for the config's decoding to refuse by name.
    if (typeof value === "number" && value > limit) {
      delete from[key]
      const field = section === undefined ? key : `${section}.${key}`
      warnings.push(
        `tamma.config.json: ${field} is ignored: ${value} is over ${limit}, and the workspace may lower what a run spends of your model key and time, not raise it; raise it in ${userFile}`
      )
    }
  }

  const userProvider = objectAt(user, "provider")
  const sharedProvider = sharedSections.provider
  const chosen = flags.provider ?? sharedProvider.name ?? userProvider.name ?? "none"
  const compatibleKeySet = (variable: string | undefined) =>
    Effect.map(envString(variable ?? compatibleKeyVariable), (value) => value !== undefined)

  // What the workspace may not say about one model entry: where its key goes, or which variable holds one.
  const untrusted = Effect.fnUntraced(function* (entry: Json, field: string, name: unknown) {
    const cleaned = { ...entry }
    if (cleaned.apiKeyEnv !== undefined) {
      delete cleaned.apiKeyEnv
      ignored(`${field}.apiKeyEnv`, "only your own config says which variable holds a key")
    }
    if (cleaned.baseUrl !== undefined && keyedProviders.has(name)) {
      delete cleaned.baseUrl
      ignored(`${field}.baseUrl`, `the ${String(name)} key is sent only to a base URL you chose`)
    }
    if (cleaned.baseUrl !== undefined && name === "openai-compatible" && (yield* compatibleKeySet(undefined))) {
      delete cleaned.baseUrl
      ignored(`${field}.baseUrl`, `${compatibleKeyVariable} is set, and a key is sent only to a base URL you chose`)
    }
    return cleaned
  })

  const primary = yield* untrusted(without(sharedProvider, ["fallbacks"]), "provider", chosen)
  for (const field of ["record", "replay"] as const) {
    const value = stringAt(primary, field)
    if (value !== undefined) primary[field] = yield* insideWorkspace(workspace, workspaceFile, field, value)
  }
  if (Array.isArray(sharedProvider.fallbacks)) {
    // Each fallback is tried with its own retries: the workspace may have no more than the user's config.
    const userFallbacks = Array.isArray(userProvider.fallbacks) ? userProvider.fallbacks : []
    const fallbacks: Array<unknown> = []
    for (const [index, entry] of sharedProvider.fallbacks.entries()) {
      const field = `provider.fallbacks[${index}]`
      if (index >= userFallbacks.length) {
        warnings.push(
          `tamma.config.json: ${field} is ignored: your config has ${userFallbacks.length} fallback(s), and each one the workspace adds spends more of your model key; add it in ${userFile}`
        )
        continue
      }
      if (!isObject(entry)) {
        fallbacks.push(entry)
        continue
      }
      const cleaned = yield* untrusted(entry, field, entry.name)
      const userEntry = userFallbacks[index]
      const own = isObject(userEntry) ? userEntry.maxTokens : undefined
      const ceiling =
        typeof own === "number"
          ? own
          : typeof userProvider.maxTokens === "number"
            ? userProvider.maxTokens
            : defaultMaxTokens
      if (typeof cleaned.maxTokens === "number" && cleaned.maxTokens > ceiling) {
        warnings.push(
          `tamma.config.json: ${field}.maxTokens is ignored: ${cleaned.maxTokens} is over ${ceiling}, and the workspace may lower what a run spends of your model key and time, not raise it; raise it in ${userFile}`
        )
        delete cleaned.maxTokens
      }
      fallbacks.push(cleaned)
    }
    primary.fallbacks = fallbacks
  }

  const userApplies = userProvider.name === undefined || userProvider.name === chosen
  const trusted = userApplies ? defined({ baseUrl: userProvider.baseUrl, apiKeyEnv: userProvider.apiKeyEnv }) : {}
  // A provider named on the command line starts from a clean entry, not the config's model.
  const switched = flags.provider !== undefined && flags.provider !== (sharedProvider.name ?? userProvider.name)
  const base = switched
    ? without(merge(without(userProvider, ["name", "baseUrl", "apiKeyEnv", "model"]), primary), ["model", "baseUrl"])
    : merge(without(userProvider, ["name", "baseUrl", "apiKeyEnv"]), primary)
  const provider: Json = {
    ...base,
    ...trusted,
    ...defined({ model: flags.model, baseUrl: flags.baseUrl }),
    name: chosen
  }

  // A workspace base URL that is left for `openai-compatible` gets no key: drop it if a key would go.
  if (
    chosen === "openai-compatible" &&
    trusted.baseUrl === undefined &&
    flags.baseUrl === undefined &&
    primary.baseUrl !== undefined &&
    (yield* compatibleKeySet(stringAt(provider, "apiKeyEnv")))
  ) {
    delete provider.baseUrl
    ignored("provider.baseUrl", "a key for openai-compatible is set, and it is sent only to a base URL you chose")
  }

  const sharedTests = sharedSections.tests
  if (sharedTests.isolation !== undefined) {
    delete sharedTests.isolation
    ignored("tests.isolation", "only you decide whether the change's tests run unconfined")
  }
  // A repository that turns its tests off, or lets them fail, would have a model's change called
  // a success unverified: that too is only the user's to say.
  for (const key of ["run", "requirePass"] as const) {
    if (sharedTests[key] === false) {
      delete sharedTests[key]
      ignored(`tests.${key}`, "only you decide whether a change may pass without its tests passing")
    }
  }
  // Hooks run outside the sandbox on the staged change: a hook that runs the tests would run a
  // model's code unconfined, which is the user's call, as `tests.isolation` is.
  const sharedGit = { ...objectAt(shared, "git") }
  if (sharedGit.runHooks !== undefined) {
    delete sharedGit.runHooks
    ignored("git.runHooks", "only you decide whether the repository's hooks run, outside the sandbox, on the change")
  }
  // Template packs are read and rendered into the change: from the workspace's config, only its own folders.
  if (Array.isArray(sharedTop.templateDirs)) {
    const realWorkspace = yield* realPath(path.resolve(workspace))
    const kept: Array<unknown> = []
    for (const dir of sharedTop.templateDirs) {
      if (typeof dir === "string") {
        const relative = path.relative(realWorkspace, yield* realPath(path.resolve(workspace, dir)))
        if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
          ignored(`templateDirs "${dir}"`, "it leaves the workspace, and only your own config names folders outside it")
          continue
        }
      }
      kept.push(dir)
    }
    sharedTop.templateDirs = kept
  }
  // The deny list keeps the user's own files (keys, `.env`) out of a change: the workspace may add to it, not drop from it.
  const sharedFiles = sharedSections.files
  const sharedDeny: unknown = sharedFiles.deny
  if (Array.isArray(sharedDeny)) {
    const userDeny = objectAt(user, "files").deny
    const floor: ReadonlyArray<unknown> = Array.isArray(userDeny) ? userDeny : defaultConfig.files.deny
    const dropped = floor.filter((pattern) => !sharedDeny.includes(pattern))
    if (dropped.length > 0) {
      warnings.push(
        `tamma.config.json: files.deny drops ${dropped.map((pattern) => JSON.stringify(pattern)).join(", ")}: they are kept, as the workspace may add patterns, not remove them; remove them in ${userFile}`
      )
    }
    sharedFiles.deny = [...floor, ...sharedDeny.filter((pattern: unknown) => !floor.includes(pattern))]
  }
  const merged = merge(user, { ...sharedTop, tests: sharedTests, git: sharedGit, files: sharedFiles })
  merged.provider = provider
  if (flags.allowDirty) merged.git = { ...objectAt(merged, "git"), allowDirty: true }
  const config = yield* decodeConfig(merged).pipe(
    Effect.mapError(
      (error) => new ConfigInvalidError({ source: `${userFile} + ${workspaceFile}`, details: error.message })
    )
  )
  return { config, warnings } satisfies RunConfig
})

/**
 * The config of a command run in `workspace` without a model (`validate`, `format`, `template`): the same
 * trust as a run's, so a workspace cannot widen what such a command reads or rewrites in place;
 * what it ignored is printed as warnings.
 */
export const loadCommandConfig = Effect.fn("loadCommandConfig")(function* (workspace: string) {
  const { config, warnings } = yield* loadRunConfig(workspace, {
    allowDirty: false,
    provider: undefined,
    model: undefined,
    baseUrl: undefined
  })
  for (const warning of warnings) yield* Console.error(`warning: ${visible(warning)}`)
  return config
})
