/**
 * Checking and formatting a list of files with the language packs, in worker threads: the tools
 * are synchronous code (a tree-sitter query over a large file holds its thread for seconds), so
 * they never run on the thread that must answer Ctrl-C. Interrupting a call terminates its
 * workers, and with them the tool threads they started. Each file passes the screen (size, NUL
 * bytes) before a tool sees it.
 */
import { constants as fsConstants } from "node:fs"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import { Worker } from "node:worker_threads"
import { Effect, Option, Schema } from "effect"
import { QualityIssue } from "../../core/domain/Quality.ts"
import { FileSystemError, LanguageNotSupportedError, QualityToolError } from "../../core/errors.ts"
import { SkippedFile, screenFile, screenSize } from "../../core/pipeline/FileScreen.ts"
import { resolveFormatStyle } from "../../core/pipeline/StyleResolution.ts"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../core/services/QualityChecker.ts"
import { threadLinted } from "../../plugins/quality/biome/Biome.ts"
import { entryBeside } from "../../plugins/quality/thread/ToolThread.ts"

export class FileReport extends Schema.Class<FileReport>("@tamma/codegen/cli/FileReport")({
  path: Schema.String,
  language: Schema.String,
  score: Schema.Number,
  issues: Schema.Array(QualityIssue),
  /** `true` when Biome's wasm build, not its native CLI, linted the file (their fix hints differ). */
  biomeWasm: Schema.optional(Schema.Boolean)
}) {}

/** A file's formatted text when its formatter changed it; `undefined` when it was already formatted. */
export class FormattedFile extends Schema.Class<FormattedFile>("@tamma/codegen/cli/FormattedFile")({
  path: Schema.String,
  formatted: Schema.optional(Schema.String)
}) {}

// SkippedFile first: a union decodes to its first match, and a FormattedFile's fields are a subset of it.

/** A checked file, a file the screen kept from the tools, or `null` for a file no pack handles. */
export const CheckOutcome = Schema.NullOr(Schema.Union([SkippedFile, FileReport]))
export type CheckOutcome = typeof CheckOutcome.Type

/** A file its formatter saw, a file the screen kept from it, or `null` for a file with no formatter. */
export const FormatOutcome = Schema.NullOr(Schema.Union([SkippedFile, FormattedFile]))
export type FormatOutcome = typeof FormatOutcome.Type

/** What a worker is asked: the operation, its files, and the screen's limit. */
export const WorkerInput = Schema.Struct({
  op: Schema.Literals(["check", "format"]),
  files: Schema.Array(Schema.String),
  language: Schema.optional(Schema.String),
  maxBytes: Schema.Int,
  /** Files checked without ESLint (see EslintScope.ts). */
  withoutEslint: Schema.optional(Schema.Array(Schema.String)),
  /** `false`: no warm-up before the first file (a check of a few files on the calling thread). */
  warm: Schema.optional(Schema.Boolean)
})
export type WorkerInput = typeof WorkerInput.Type

/** The failures a worker sends back whole, so they keep their tag (and exit code). */
const WorkerFailure = Schema.Union([FileSystemError, LanguageNotSupportedError, QualityToolError])
type WorkerFailure = typeof WorkerFailure.Type

const WorkerAnswer = Schema.Union([
  Schema.Struct({ ok: Schema.Literal(true), outcomes: Schema.Array(Schema.Unknown) }),
  Schema.Struct({ ok: Schema.Literal(false), error: WorkerFailure })
])
type WorkerAnswer = typeof WorkerAnswer.Encoded
const decodeAnswer = Schema.decodeUnknownEffect(WorkerAnswer)
const encodeFailure = Schema.encodeSync(WorkerFailure)
const encodeChecks = Schema.encodeSync(Schema.Array(CheckOutcome))
const encodeFormats = Schema.encodeSync(Schema.Array(FormatOutcome))

const readChunkBytes = 256 * 1024

/**
 * The file's text, or why the tools may not see it. The size is checked on the open file before
 * anything is read, and at most `maxBytes + 1` bytes are ever read (a file growing meanwhile).
 */
export const readScreened = (file: string, maxBytes: number) =>
  Effect.tryPromise({
    try: async (): Promise<string | SkippedFile> => {
      // Non-blocking: a FIFO put in a file's place after the walk must not hang the read.
      const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK)
      try {
        const stat = await handle.stat()
        if (!stat.isFile()) throw new Error("not a regular file")
        const bySize = screenSize({ path: file, size: stat.size, maxBytes })
        if (bySize !== undefined) return bySize
        // Read in chunks up to one byte past the limit: the limit may be far above the file's size
        // (no buffer of that size), and the file may grow while it is read (never read past the limit).
        const chunks: Array<Buffer> = []
        let length = 0
        while (length <= maxBytes) {
          const chunk = Buffer.alloc(Math.min(readChunkBytes, maxBytes + 1 - length))
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, length)
          if (bytesRead === 0) break
          chunks.push(chunk.subarray(0, bytesRead))
          length += bytesRead
        }
        const bytes = Buffer.concat(chunks)
        return screenFile({ path: file, content: bytes, maxBytes }) ?? bytes.toString("utf8")
      } finally {
        await handle.close()
      }
    },
    catch: (error) => new FileSystemError({ path: file, operation: "read", cause: String(error) })
  })

/**
 * Files of a share checked at once. The tools that run beside this thread (Biome's native CLI, a
 * process per batch of files: NativeVerdict.ts) see only the files in flight, so a few at a time
 * made many small runs, each waited for in turn while this thread's core was the only one busy;
 * two full batches of the CLI in flight keep both busy. The rules' synchronous work still takes
 * one file per turn of the loop (EventLoopTurn.ts). Bounded: each holds its file's text.
 */
const filesInFlight = 64

/**
 * Outcomes of checking `files` on this thread, in order. `warm`: load each language's tools before
 * the first file (see below); a check of a few files skips it, since warming runs every tool on
 * empty code, which starts Biome's wasm thread even when the native CLI finds every file clean.
 */
export const checkInProcess = Effect.fn("cli.checkInProcess")(function* (
  files: ReadonlyArray<string>,
  language: string | undefined,
  maxBytes: number,
  withoutEslint: ReadonlyArray<string> = [],
  warm = true
) {
  const registry = yield* LanguageRegistry
  const quality = yield* QualityChecker
  const skipEslint = new Set(withoutEslint)
  const packs = yield* Effect.forEach(files, (file) =>
    language !== undefined ? Effect.map(registry.get(language), Option.some) : registry.detect(file)
  )
  // Each language's tools load once, all at the same time, before the files are checked: a tool
  // that prepares itself on first use (the tree-sitter rules compile their queries) would
  // otherwise do it once for each of the first checks.
  const languages = new Set(packs.flatMap((pack) => (Option.isSome(pack) ? [pack.value.id] : [])))
  // ESLint loads (with TypeScript, a second of CPU) only when some file of this share needs it: a
  // file whose pack has no ESLint (a package.json beside the TypeScript) needs it no more than one
  // it is skipped on.
  const eslintSkipped = files.every(
    (file, index) =>
      skipEslint.has(file) ||
      Option.match(packs[index] ?? Option.none(), {
        onNone: () => true,
        onSome: (pack) => !pack.tools.some((tool) => tool.name === "eslint")
      })
  )
    ? ["eslint"]
    : []
  if (warm) {
    yield* Effect.forEach(languages, (id) => quality.warm(id, eslintSkipped), {
      concurrency: "unbounded",
      discard: true
    })
  }
  return yield* Effect.forEach(
    files,
    (file, index): Effect.Effect<CheckOutcome, FileSystemError | LanguageNotSupportedError> =>
      Effect.gen(function* () {
        const pack = packs[index] ?? Option.none()
        if (Option.isNone(pack)) return null
        const text = yield* readScreened(file, maxBytes)
        if (typeof text !== "string") return text
        const result = yield* quality.check(text, pack.value.id, file, skipEslint.has(file) ? ["eslint"] : [])
        return new FileReport({
          path: file,
          language: pack.value.id,
          score: result.score,
          issues: result.issues,
          ...(threadLinted(text) ? { biomeWasm: true } : {})
        })
      }),
    { concurrency: filesInFlight }
  )
})

/** Outcomes of formatting `files` on this thread, in order; nothing is written. */
export const formatInProcess = Effect.fn("cli.formatInProcess")(function* (
  files: ReadonlyArray<string>,
  maxBytes: number
) {
  const registry = yield* LanguageRegistry
  const quality = yield* QualityChecker
  return yield* Effect.forEach(
    files,
    (file): Effect.Effect<FormatOutcome, FileSystemError | LanguageNotSupportedError | QualityToolError> =>
      Effect.gen(function* () {
        const pack = yield* registry.detect(file)
        if (Option.isNone(pack) || pack.value.formatter === undefined) return null
        const text = yield* readScreened(file, maxBytes)
        if (typeof text !== "string") return text
        // Each file keeps its layout: its .editorconfig, else its own habits (4 spaces stay 4 spaces).
        const style = yield* resolveFormatStyle({
          path: file,
          read: (other) => Effect.promise(() => fs.readFile(other, "utf8").catch(() => undefined)),
          extensions: pack.value.extensions
        })
        const formatted = yield* quality.format(text, pack.value.id, file, style)
        return new FormattedFile({ path: file, formatted: formatted === text ? undefined : formatted })
      }),
    { concurrency: 4 }
  )
})

const runOperation = (
  input: WorkerInput
): Effect.Effect<ReadonlyArray<unknown>, WorkerFailure, LanguageRegistry | QualityChecker> =>
  input.op === "check"
    ? Effect.map(
        checkInProcess(input.files, input.language, input.maxBytes, input.withoutEslint, input.warm ?? true),
        encodeChecks
      )
    : Effect.map(formatInProcess(input.files, input.maxBytes), encodeFormats)

/** The worker's side: run the operation and post the encoded outcomes or the failure. */
export const workerMain = (input: WorkerInput): Effect.Effect<WorkerAnswer> =>
  Effect.promise(() => import("../../presets/NodeQuality.ts")).pipe(
    Effect.flatMap(({ qualityLayer }) => runOperation(input).pipe(Effect.provide(qualityLayer))),
    Effect.map((outcomes): WorkerAnswer => ({ ok: true, outcomes })),
    Effect.catch((error) => Effect.succeed<WorkerAnswer>({ ok: false, error: encodeFailure(error) }))
  )

const workerEntry = entryBeside(import.meta.url, "CheckFilesWorker")

const workerFailed = (input: WorkerInput, cause: string) =>
  new FileSystemError({ path: input.files[0] ?? "", operation: input.op, cause })

/**
 * Runs `input` in a worker thread and decodes its outcomes with `outcome`. The worker is
 * terminated when the call ends, also by interruption: a terminated worker stops at once, even
 * inside a tool's synchronous code, and takes the tool threads it started with it.
 */
const inWorker = <A>(input: WorkerInput, outcome: Schema.Codec<A, unknown>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => new Worker(workerEntry, { workerData: input })),
    (worker) =>
      Effect.callback<unknown, FileSystemError>((resume) => {
        worker.once("message", (message) => resume(Effect.succeed(message)))
        worker.once("error", (error) => resume(Effect.fail(workerFailed(input, error.message))))
        // A worker that dies without answering (out of memory) must not leave the call waiting.
        worker.once("exit", (code) => resume(Effect.fail(workerFailed(input, `the worker exited with code ${code}`))))
      }),
    // Not awaited: the thread stops by itself once told, and an interrupted command should not
    // wait for it to wind down before it exits.
    (worker) => Effect.sync(() => void worker.terminate())
  ).pipe(Effect.flatMap(outcomesOf(input, outcome)))

/** The outcomes in a worker's answer to `input` (its message, as sent), or the failure it reports. */
const outcomesOf =
  <A>(input: WorkerInput, outcome: Schema.Codec<A, unknown>) =>
  (message: unknown) =>
    decodeAnswer(message).pipe(
      Effect.mapError((error) => workerFailed(input, `the worker's answer does not decode: ${error.message}`)),
      Effect.flatMap((answer) =>
        answer.ok
          ? Schema.decodeUnknownEffect(Schema.Array(outcome))(answer.outcomes).pipe(
              Effect.mapError((error) => workerFailed(input, `the worker's outcomes do not decode: ${error.message}`))
            )
          : Effect.fail(answer.error)
      )
    )

/**
 * The cores one share of the files keeps busy: its own thread (the tree-sitter rules, the secrets
 * scan) and the threads Biome and ESLint run in (plugins/quality/thread/ToolThread.ts), which work
 * beside it on every JS/TS file.
 */
const coresPerShare = 3

/** At most this many shares, so at most three times as many busy threads. */
const maxShares = 4

/** Below this many files one share is faster than starting workers that each load the tools. */
const filesPerExtraShare = 12

const defaultShares = (files: number): number =>
  Math.max(
    1,
    Math.min(maxShares, Math.floor(os.availableParallelism() / coresPerShare), Math.floor(files / filesPerExtraShare))
  )

export interface CheckOptions {
  readonly language?: string | undefined
  /** The screen's limit: larger files are skipped, not checked. */
  readonly maxBytes: number
  /** Worker threads to spread the files over; by default as many as the cores keep busy. */
  readonly shares?: number | undefined
  /** Files to check without ESLint. */
  readonly withoutEslint?: ReadonlyArray<string> | undefined
}

/**
 * At most this many files, of at most `inProcessBytes` together, are checked on the calling
 * thread: a worker would load Effect and the packs a second time (a third of a second of CPU)
 * for a second's work, as when a cached run meets a few changed files. The tools that run long
 * on a file (Biome, ESLint) have threads of their own either way; the rules' queries over so
 * little text take a fraction of a second, so Ctrl-C still ends the command at once.
 */
const inProcessFiles = 4
const inProcessBytes = 256 * 1024

/** The total size of `files`, or `undefined` when one cannot be read (the check will say why). */
const totalBytes = (files: ReadonlyArray<string>) =>
  Effect.promise(() =>
    Promise.all(files.map((file) => fs.stat(file).then((stat) => stat.size))).then(
      (sizes) => sizes.reduce((sum, size) => sum + size, 0),
      () => undefined
    )
  )

/** The check of a few small files on this thread, its answer read as a worker's is. */
const checkHere = (files: ReadonlyArray<string>, options: CheckOptions) => {
  const input: WorkerInput = {
    op: "check",
    files,
    language: options.language,
    maxBytes: options.maxBytes,
    withoutEslint: files.filter((file) => (options.withoutEslint ?? []).includes(file)),
    // Loads are shared between concurrent checks (the grammar, the compiled rules, each tool thread).
    warm: false
  }
  return Effect.flatMap(workerMain(input), outcomesOf(input, CheckOutcome))
}

/** Outcomes of checking `files`, in order: a few small ones on this thread, more spread over worker threads. */
export const checkFiles = (
  files: ReadonlyArray<string>,
  options: CheckOptions
): Effect.Effect<ReadonlyArray<CheckOutcome>, WorkerFailure> => {
  if (files.length === 0) return Effect.succeed([])
  if (options.shares === undefined && files.length <= inProcessFiles) {
    return Effect.flatMap(totalBytes(files), (bytes) =>
      bytes !== undefined && bytes <= inProcessBytes ? checkHere(files, options) : checkInWorkers(files, options)
    )
  }
  return checkInWorkers(files, options)
}

/** Outcomes of checking `files`, in order, spread over worker threads. */
const checkInWorkers = (
  files: ReadonlyArray<string>,
  options: CheckOptions
): Effect.Effect<ReadonlyArray<CheckOutcome>, WorkerFailure> => {
  const shares = Math.max(1, Math.min(files.length, options.shares ?? defaultShares(files.length)))
  // Round-robin keeps big and small files mixed in every share.
  const split = Array.from({ length: shares }, (_, i) => files.filter((_, index) => index % shares === i))
  const skip = new Set(options.withoutEslint ?? [])
  return Effect.forEach(
    split,
    (share) =>
      inWorker(
        {
          op: "check",
          files: share,
          language: options.language,
          maxBytes: options.maxBytes,
          withoutEslint: share.filter((file) => skip.has(file))
        },
        CheckOutcome
      ),
    { concurrency: "unbounded" }
  ).pipe(
    Effect.map((results) => {
      const byFile = new Map<string, CheckOutcome>()
      results.forEach((outcomes, share) => {
        outcomes.forEach((outcome, index) => {
          byFile.set(split[share]?.[index] ?? "", outcome)
        })
      })
      return files.map((file) => byFile.get(file) ?? null)
    })
  )
}

/** Outcomes of formatting `files`, in order, in a worker thread; nothing is written. */
export const formatFiles = (
  files: ReadonlyArray<string>,
  maxBytes: number
): Effect.Effect<ReadonlyArray<FormatOutcome>, WorkerFailure> =>
  files.length === 0 ? Effect.succeed([]) : inWorker({ op: "format", files, maxBytes }, FormatOutcome)
