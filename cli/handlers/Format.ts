/**
 * The handler of `format`: every file's formatted text is computed first, in a worker thread
 * (Ctrl-C stops it at once and nothing is written), then the changed files are written together,
 * each atomically, without interruption: the files end either all as before or all formatted.
 */
import * as fs from "node:fs/promises"
import { Console, Effect } from "effect"
import { FileSystemError } from "../../core/errors.ts"
import type { SkippedFile } from "../../core/pipeline/FileScreen.ts"
import { inPlaceTarget } from "../../plugins/files/node/InPlaceTarget.ts"
import { CommandFailed, SettledExit } from "../CliErrors.ts"
import { loadCommandConfig } from "../ConfigTrust.ts"
import { visible } from "../TerminalText.ts"
import { type FormattedFile, formatFiles } from "./CheckFiles.ts"
import { collectFiles, requireExisting } from "./CollectFiles.ts"

/**
 * Writes every file (temp file, then rename); if one write fails, the files already written get
 * their original bytes back, so a failure leaves the files as they were.
 */
const writeAll = (files: ReadonlyArray<{ readonly path: string; readonly formatted: string }>) =>
  Effect.tryPromise({
    try: async () => {
      const written: Array<{ readonly path: string; readonly original: Buffer }> = []
      const replace = async (file: string, content: string | Buffer) => {
        const temp = `${file}.tamma-format.tmp`
        await fs.writeFile(temp, content)
        await fs.rename(temp, file)
      }
      try {
        for (const file of files) {
          const original = await fs.readFile(file.path)
          await replace(file.path, file.formatted)
          written.push({ path: file.path, original })
        }
      } catch (error) {
        for (const file of written.reverse()) await replace(file.path, file.original)
        throw error
      }
    },
    catch: (error) => new FileSystemError({ path: files[0]?.path ?? "", operation: "write", cause: String(error) })
  })

/** The line that tells why a file was left alone. */
export const skippedLine = (skipped: SkippedFile): string =>
  `skipped ${visible(skipped.path)} (${skipped.reason}: ${skipped.detail})`

export const format = Effect.fn("cli.format")(function* ({
  paths,
  check
}: {
  readonly paths: ReadonlyArray<string>
  readonly check: boolean
}) {
  yield* requireExisting(paths)
  const config = yield* loadCommandConfig(process.cwd())
  // A symlink is never replaced by a regular file: its target is formatted, where the config allows.
  const targets = (yield* collectFiles(paths)).map((file) => ({
    file,
    target: inPlaceTarget(process.cwd(), file, config.files)
  }))
  const files = [...new Set(targets.flatMap(({ target }) => (target._tag === "Write" ? [target.path] : [])))]
  const outcomes = yield* formatFiles(files, config.files.maxFileBytes)
  const changed = outcomes.filter(
    (outcome): outcome is FormattedFile & { readonly formatted: string } =>
      outcome !== null && "formatted" in outcome && outcome.formatted !== undefined
  )
  const skipped = outcomes.filter((outcome): outcome is SkippedFile => outcome !== null && "reason" in outcome)
  if (!check) {
    // Written whole or not at all: a signal now waits the few milliseconds the renames take.
    yield* writeAll(changed).pipe(Effect.andThen(SettledExit.settle(0)), Effect.uninterruptible)
  }
  for (const file of changed) yield* Console.log(`${check ? "would format" : "formatted"} ${visible(file.path)}`)
  for (const file of skipped) yield* Console.log(skippedLine(file))
  for (const { file, target } of targets) {
    if (target._tag === "Skip") yield* Console.log(`skipped ${visible(file)} (${visible(target.reason)})`)
  }
  if (check && changed.length > 0) {
    return yield* new CommandFailed({ reason: `${changed.length} file(s) are not formatted` })
  }
})
