/**
 * Reading the CLI's inputs: the request file (or stdin), the workspace and its config.
 */
import type { Stats } from "node:fs"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Console, Effect, Option, Schema } from "effect"
import { CodeGenConfig, decodeConfigJson, defaultConfig, GitConfig, ProviderConfig } from "../core/domain/Config.ts"
import { CodeGenerationRequest } from "../core/domain/Request.ts"
import { ConfigInvalidError, RequestInvalidError, WorkspaceError } from "../core/errors.ts"
import { isInsidePackage } from "./Invocation.ts"

/**
 * The most a request may hold, in bytes. A request is a task and its context for a model: the
 * largest model contexts hold about a million tokens, some 4 MB of text, so a bigger request
 * could never be sent whole; it is refused before it is read whole into memory.
 */
export const maxRequestBytes = 4 * 1024 * 1024

/**
 * The most the workspace's `tamma.config.json` may hold, in bytes: a config is a few hundred bytes
 * of settings, and the file is the repository's, not the user's, so its size is no one's choice here.
 */
export const maxConfigBytes = 1024 * 1024

/** Reads `chunks` up to `cap` bytes: the text, or `undefined` at the first byte past it. */
const readCapped = async (
  chunks: AsyncIterable<Uint8Array | string>,
  cap: number = maxRequestBytes
): Promise<string | undefined> => {
  const kept: Array<Uint8Array> = []
  let total = 0
  for await (const read of chunks) {
    const chunk = typeof read === "string" ? Buffer.from(read) : read
    total += chunk.length
    // Stops at once: a FIFO or a file that keeps growing is never read past the cap.
    if (total > cap) return undefined
    kept.push(chunk)
  }
  return Buffer.concat(kept).toString("utf8")
}

/** A file's chunks, read one at a time (a stat says nothing of a FIFO or a growing file). */
async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(file, "r")
  try {
    const buffer = Buffer.alloc(64 * 1024)
    while (true) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) return
      // A copy: the next read reuses the buffer.
      yield Buffer.from(buffer.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
}

/** What a path that is not a regular file is, by its stat, for a message. */
const kindOf = (stat: Stats): string =>
  stat.isFIFO()
    ? "a FIFO"
    : stat.isSocket()
      ? "a socket"
      : stat.isCharacterDevice() || stat.isBlockDevice()
        ? "a device"
        : stat.isDirectory()
          ? "a folder"
          : "not a regular file"

/**
 * A request file's chunks, refused unless it is a regular file: opening a FIFO with no writer
 * blocks for ever, and so does reading one whose writer never closes. Process substitution
 * (`<(…)`) is such a FIFO; its content goes through stdin instead (`--request -`), whose end the
 * user controls.
 */
const requestChunks = async (source: string): Promise<AsyncIterable<Uint8Array | string>> => {
  if (source === "-") return process.stdin
  const stat = await fs.stat(source)
  if (!stat.isFile()) {
    throw new Error(
      `it is ${kindOf(stat)}, not a regular file: such a path can block for ever; give a file, or pipe the request to --request -`
    )
  }
  return fileChunks(source)
}

/** The request's text from `source` (`-`: stdin), refused past `maxRequestBytes`. */
const readRequestText = Effect.fn("readRequestText")(function* (source: string) {
  // Waiting silently on a terminal looks like a hang: say what is awaited.
  if (source === "-" && process.stdin.isTTY === true) {
    yield* Console.error("Reading the request from the terminal: paste its JSON, then press Ctrl-D.")
  }
  const text = yield* Effect.tryPromise({
    try: async () => readCapped(await requestChunks(source)),
    catch: (error) =>
      new RequestInvalidError({ source, details: error instanceof Error ? error.message : String(error) })
  })
  if (text !== undefined) return text
  return yield* new RequestInvalidError({
    source,
    details: `it is larger than ${maxRequestBytes / 1024 / 1024} MiB (${maxRequestBytes} bytes), the most a request may hold; it was not read further`
  })
})

const decodeRequest = Schema.decodeUnknownEffect(CodeGenerationRequest, { errors: "all" })

const parseError = (text: string): string | undefined => {
  try {
    JSON.parse(text)
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

const lineAndColumn = (text: string, offset: number): string => {
  const before = text.slice(0, offset).split("\n")
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`
}

/**
 * V8 gives no position for an unexpected token (`Unexpected token 'x', "…" is not valid JSON`):
 * it is the last character of the shortest prefix that already fails that way.
 */
const unexpectedTokenOffset = (text: string): number => {
  let low = 1
  let high = text.length
  while (low < high) {
    const middle = Math.floor((low + high) / 2)
    if (parseError(text.slice(0, middle))?.startsWith("Unexpected token") === true) high = middle
    else low = middle + 1
  }
  return low - 1
}

/** Where JSON text stops parsing, as `line L, column C: why` (1-based), or `undefined` when it parses. */
export const jsonSyntaxProblem = (text: string): string | undefined => {
  // Invisible, and JSON has none: said by name, since V8 would quote it as an empty token.
  if (text.startsWith("\ufeff")) {
    return "line 1, column 1: the file starts with a byte order mark (U+FEFF), which JSON does not allow; save it as UTF-8 without one"
  }
  const message = parseError(text)
  if (message === undefined) return undefined
  // The reason without the position, nor the quoted text (it may hold anything).
  const reason = message
    .replace(/\s*(in JSON )?at position \d+.*$/s, "")
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, "")
  const located = /\(line (\d+) column (\d+)\)/.exec(message)
  if (located !== null) return `line ${located[1]}, column ${located[2]}: ${reason}`
  const position = /at position (\d+)/.exec(message)
  if (position !== null) return `${lineAndColumn(text, Number(position[1]))}: ${reason}`
  if (message.startsWith("Unexpected token")) return `${lineAndColumn(text, unexpectedTokenOffset(text))}: ${reason}`
  // The text ended too early: the problem is at its end.
  return `${lineAndColumn(text, text.length)}: ${reason}`
}

/** Reads and decodes a request from a file, or from stdin when `source` is `-`. */
export const readRequest = Effect.fn("readRequest")(function* (source: string) {
  const text = yield* readRequestText(source)
  const syntax = jsonSyntaxProblem(text)
  if (syntax !== undefined) return yield* new RequestInvalidError({ source, details: `not valid JSON at ${syntax}` })
  return yield* decodeRequest(JSON.parse(text)).pipe(
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

/**
 * The workspace of a command that writes: the one `--workspace` names, else the folder the user
 * ran the command from — refused when that is this package's own checkout (or inside it), which
 * is only a workspace when named.
 */
export const chooseWorkspace = Effect.fn("chooseWorkspace")(function* (flag: Option.Option<string>) {
  if (Option.isSome(flag)) return yield* resolveWorkspace(flag.value)
  const workspace = yield* resolveWorkspace(".")
  if (isInsidePackage(workspace)) {
    return yield* new WorkspaceError({
      path: workspace,
      detail:
        "is tamma-codegen's own checkout, never a default workspace: run the command from your project's folder, or name it with --workspace"
    })
  }
  return workspace
})

export const isGitRepository = (workspace: string) =>
  Effect.promise(() =>
    fs.stat(path.join(workspace, ".git")).then(
      () => true,
      () => false
    )
  )

/**
 * The text of the workspace's `tamma.config.json`, `undefined` when there is none. The repository
 * chose what that path is: a symlink out of the workspace is not read (it would make a file of the
 * user's a config), nor a FIFO or device (`/dev/zero` is read without end), nor a file past
 * `maxConfigBytes`; each is a `ConfigInvalidError`.
 */
export const readWorkspaceConfigText = Effect.fn("readWorkspaceConfigText")(function* (workspace: string) {
  const file = path.join(workspace, "tamma.config.json")
  const invalid = (details: string) => new ConfigInvalidError({ source: file, details })
  const failed = (error: unknown) => invalid(error instanceof Error ? error.message : String(error))
  const link = yield* Effect.tryPromise({
    try: () =>
      fs
        .lstat(file)
        .catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? undefined : Promise.reject(error))),
    catch: failed
  })
  if (link === undefined) return undefined
  const real = yield* Effect.tryPromise({
    try: async () => ({ file: await fs.realpath(file), workspace: await fs.realpath(workspace) }),
    catch: () => invalid("is a symlink to nothing")
  })
  const relative = path.relative(real.workspace, real.file)
  if (relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return yield* invalid(`is a symlink to ${real.file}, outside the workspace: a workspace's config is its own file`)
  }
  const stat = yield* Effect.tryPromise({ try: () => fs.stat(real.file), catch: failed })
  if (!stat.isFile()) return yield* invalid(`is ${kindOf(stat)}, not a regular file`)
  const text = yield* Effect.tryPromise({ try: () => readCapped(fileChunks(real.file), maxConfigBytes), catch: failed })
  if (text === undefined) {
    return yield* invalid(
      `it is larger than ${maxConfigBytes / 1024 / 1024} MiB, the most a config may hold; it was not read further`
    )
  }
  return text
})

/**
 * `tamma.config.json` of the workspace, or the defaults, as written: none of a run's trust rules
 * apply, so a command reads its config through `loadRunConfig` or `loadCommandConfig` instead.
 */
export const loadConfig = Effect.fn("loadConfig")(function* (workspace: string) {
  const file = path.join(workspace, "tamma.config.json")
  const text = yield* readWorkspaceConfigText(workspace)
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
