/**
 * Reading the CLI's inputs: the request file (or stdin), the workspace and its config.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect } from "effect"
import { CodeGenConfig, decodeConfigJson, defaultConfig, GitConfig, ProviderConfig } from "../core/domain/Config.ts"
import { CodeGenerationRequest, decodeRequestJson } from "../core/domain/Request.ts"
import { ConfigInvalidError, RequestInvalidError, WorkspaceError } from "../core/errors.ts"

const readStdin = Effect.tryPromise({
  try: async () => {
    const chunks: Array<Buffer> = []
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk))
    return Buffer.concat(chunks).toString("utf8")
  },
  catch: (error) => new RequestInvalidError({ source: "-", details: String(error) })
})

/** Reads and decodes a request from a file, or from stdin when `source` is `-`. */
export const readRequest = Effect.fn("readRequest")(function* (source: string) {
  const text =
    source === "-"
      ? yield* readStdin
      : yield* Effect.tryPromise({
          try: () => fs.readFile(source, "utf8"),
          catch: (error) =>
            new RequestInvalidError({ source, details: error instanceof Error ? error.message : String(error) })
        })
  return yield* decodeRequestJson(text).pipe(
    Effect.mapError((error) => new RequestInvalidError({ source, details: error.message }))
  )
})

/** The request with the CLI's flags applied over its options. */
export const withFlags = (
  request: CodeGenerationRequest,
  flags: {
    readonly template: string | undefined
    readonly dryRun: boolean
    readonly commit: boolean
    readonly runTests: boolean
    readonly force?: boolean
  }
): CodeGenerationRequest =>
  new CodeGenerationRequest({
    ...request,
    template: flags.template ?? request.template,
    options: {
      ...request.options,
      dryRun: flags.dryRun || request.options.dryRun,
      commit: flags.commit && request.options.commit !== false,
      runTests: flags.runTests ? request.options.runTests : false,
      force: flags.force === true || request.options.force
    }
  })

/** The absolute workspace path, refused unless it is an existing folder. */
export const resolveWorkspace = Effect.fn("resolveWorkspace")(function* (dir: string) {
  const absolute = path.resolve(dir)
  const stat = yield* Effect.promise(() => fs.stat(absolute).catch(() => undefined))
  if (stat === undefined) return yield* new WorkspaceError({ path: absolute, detail: "does not exist" })
  if (!stat.isDirectory()) return yield* new WorkspaceError({ path: absolute, detail: "is not a folder" })
  return yield* Effect.promise(() => fs.realpath(absolute))
})

export const isGitRepository = (workspace: string) =>
  Effect.promise(() =>
    fs.stat(path.join(workspace, ".git")).then(
      () => true,
      () => false
    )
  )

/** `tamma.config.json` of the workspace, or the defaults. */
export const loadConfig = Effect.fn("loadConfig")(function* (workspace: string) {
  const file = path.join(workspace, "tamma.config.json")
  const text = yield* Effect.promise(() => fs.readFile(file, "utf8").catch(() => undefined))
  if (text === undefined) return defaultConfig
  return yield* decodeConfigJson(text).pipe(
    Effect.mapError((error) => new ConfigInvalidError({ source: file, details: error.message }))
  )
})

/** The config with the CLI's flags over it. */
export const configWithFlags = (
  config: CodeGenConfig,
  flags: {
    readonly allowDirty: boolean
    readonly provider: ProviderConfig["name"] | undefined
    readonly model: string | undefined
    readonly baseUrl: string | undefined
  }
): CodeGenConfig => {
  // A different provider on the command line starts from a clean entry, not the config's model.
  const base =
    flags.provider === undefined || flags.provider === config.provider.name
      ? config.provider
      : { ...config.provider, name: flags.provider, model: undefined, baseUrl: undefined }
  return new CodeGenConfig({
    ...config,
    git: flags.allowDirty ? new GitConfig({ ...config.git, allowDirty: true }) : config.git,
    provider: new ProviderConfig({ ...base, model: flags.model ?? base.model, baseUrl: flags.baseUrl ?? base.baseUrl })
  })
}
