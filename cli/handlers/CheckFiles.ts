/**
 * Checking a list of files with the language packs: in this thread, or spread over worker threads
 * when the machine has cores to spare and the list is long enough to pay for their start-up.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import { Worker } from "node:worker_threads"
import { Effect, Option, Schema } from "effect"
import { QualityIssue } from "../../core/domain/Quality.ts"
import { FileSystemError, LanguageNotSupportedError } from "../../core/errors.ts"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../core/services/QualityChecker.ts"
import { entryBeside } from "../../plugins/quality/thread/ToolThread.ts"

export class FileReport extends Schema.Class<FileReport>("@tamma/codegen/cli/FileReport")({
  path: Schema.String,
  language: Schema.String,
  score: Schema.Number,
  issues: Schema.Array(QualityIssue)
}) {}

const WorkerAnswer = Schema.Union([
  Schema.Struct({ ok: Schema.Literal(true), reports: Schema.Array(Schema.NullOr(FileReport)) }),
  Schema.Struct({ ok: Schema.Literal(false), tag: Schema.String, message: Schema.String })
])
const decodeAnswer = Schema.decodeUnknownEffect(WorkerAnswer)
const encodeReports = Schema.encodeSync(Schema.Array(Schema.NullOr(FileReport)))

export const readFile = (file: string) =>
  Effect.tryPromise({
    try: () => fs.readFile(file, "utf8"),
    catch: (error) => new FileSystemError({ path: file, operation: "read", cause: String(error) })
  })

/** Reports of `files` in this process, in order; `null` for a file no pack handles. */
export const checkInProcess = Effect.fn("cli.checkInProcess")(function* (
  files: ReadonlyArray<string>,
  language: string | undefined
) {
  const registry = yield* LanguageRegistry
  const quality = yield* QualityChecker
  const packs = yield* Effect.forEach(files, (file) =>
    language !== undefined ? Effect.map(registry.get(language), Option.some) : registry.detect(file)
  )
  // Each language's tools load once, all at the same time, before files are checked four at a time:
  // a tool that prepares itself on first use (the tree-sitter rules compile their queries) would
  // otherwise do it once for each of the first four checks.
  const languages = new Set(packs.flatMap((pack) => (Option.isSome(pack) ? [pack.value.id] : [])))
  yield* Effect.forEach(languages, quality.warm, { concurrency: "unbounded", discard: true })
  return yield* Effect.forEach(
    files,
    (file, index) =>
      Effect.gen(function* () {
        const pack = packs[index] ?? Option.none()
        if (Option.isNone(pack)) return null
        const result = yield* quality.check(yield* readFile(file), pack.value.id, file)
        return new FileReport({ path: file, language: pack.value.id, score: result.score, issues: result.issues })
      }),
    { concurrency: 4 }
  )
})

/** The worker's side: check the files it was given and post the encoded reports. */
export const workerMain = (files: ReadonlyArray<string>, language: string | undefined) =>
  Effect.gen(function* () {
    const { qualityLayer } = yield* Effect.promise(() => import("../QualityWiring.ts"))
    return yield* checkInProcess(files, language).pipe(Effect.provide(qualityLayer))
  }).pipe(
    Effect.map((reports) => ({ ok: true as const, reports: encodeReports(reports) })),
    Effect.catch((error) => Effect.succeed({ ok: false as const, tag: error._tag, message: error.message }))
  )

const workerEntry = entryBeside(import.meta.url, "CheckFilesWorker")

const inWorker = (files: ReadonlyArray<string>, language: string | undefined) =>
  Effect.acquireUseRelease(
    Effect.sync(() => new Worker(workerEntry, { workerData: { files, language } })),
    (worker) =>
      Effect.callback<unknown, FileSystemError>((resume) => {
        worker.once("message", (message) => resume(Effect.succeed(message)))
        worker.once("error", (error) =>
          resume(Effect.fail(new FileSystemError({ path: files[0] ?? "", operation: "check", cause: error.message })))
        )
      }),
    (worker) => Effect.promise(() => worker.terminate())
  ).pipe(
    Effect.flatMap((message) => decodeAnswer(message)),
    Effect.mapError((error) =>
      error._tag === "FileSystemError"
        ? error
        : new FileSystemError({ path: files[0] ?? "", operation: "check", cause: error.message })
    ),
    Effect.flatMap(
      (answer): Effect.Effect<ReadonlyArray<FileReport | null>, FileSystemError | LanguageNotSupportedError> =>
        answer.ok
          ? Effect.succeed(answer.reports)
          : answer.tag === "LanguageNotSupportedError"
            ? Effect.fail(new LanguageNotSupportedError({ language: language ?? "" }))
            : Effect.fail(new FileSystemError({ path: files[0] ?? "", operation: "check", cause: answer.message }))
    )
  )

/** Below this many files one thread is faster than starting workers that each load the tools. */
const workerThreshold = 24

/**
 * The cores one share of the files keeps busy: its own thread (the tree-sitter rules, the secrets
 * scan) and the threads Biome and ESLint run in (plugins/quality/thread/ToolThread.ts), which work
 * beside it on every JS/TS file.
 */
const coresPerShare = 3

/** At most this many shares, so at most three times as many busy threads. */
const maxShares = 4

/**
 * Reports of `files`, in order. With cores to spare for more than one share, this thread checks
 * the first share and a worker thread each of the others; `shares` overrides the count.
 */
export const checkFiles = (
  files: ReadonlyArray<string>,
  language: string | undefined,
  shares = Math.min(maxShares, Math.floor(os.availableParallelism() / coresPerShare))
) => {
  if (files.length < workerThreshold || shares < 2) return checkInProcess(files, language)
  // Round-robin keeps big and small files mixed in every share.
  const split = Array.from({ length: shares }, (_, i) => files.filter((_, index) => index % shares === i))
  return Effect.forEach(
    split,
    (share, index) => (index === 0 ? checkInProcess(share, language) : inWorker(share, language)),
    { concurrency: "unbounded" }
  ).pipe(
    Effect.map((results) => {
      const byFile = new Map<string, FileReport | null>()
      results.forEach((reports, share) => {
        reports.forEach((report, index) => {
          byFile.set(split[share]?.[index] ?? "", report)
        })
      })
      return files.map((file) => byFile.get(file) ?? null)
    })
  )
}
