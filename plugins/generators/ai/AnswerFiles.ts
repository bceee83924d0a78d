/**
 * From a model's answer to the files of a generation: whole files and edits, each for the path
 * the answer names, or for the only target when it names none. A path outside the workspace or
 * reserved (`../x`, `/etc/x`, `~/x`, `.git/x`, `.tamma/x`) fails the whole answer: a hostile
 * path is never given to another file. Edits that do not apply become `EditFailure`s that say
 * what the file really contains, ready to be sent back to the model.
 */
import { Result } from "effect"
import { defaultFilesConfig, FilesConfig } from "../../../core/domain/Config.ts"
import { RenderedFile } from "../../../core/domain/Template.ts"
import { ExtractionError, UnsafeAnswerError } from "../../../core/errors.ts"
import { EditApply, type EditFailure } from "../../../core/pipeline/EditApply.ts"
import { type Edit, EditParse } from "../../../core/pipeline/EditParse.ts"
import { extractFiles } from "../../../core/pipeline/Extraction.ts"
import { checkPath } from "../../../core/services/PathPolicy.ts"

export type { EditFailure }

export interface AnswerFiles {
  /** The files the answer changes or creates (a file left as it was is not listed). */
  readonly files: ReadonlyArray<RenderedFile>
  readonly notes: ReadonlyArray<string>
  /** Edits that did not apply, with the closest region of the file when there is one. */
  readonly failures: ReadonlyArray<EditFailure>
}

export interface AnswerInput {
  readonly answer: string
  /**
   * The files this answer is about. Blocks that name no file go to the only target when there is
   * exactly one. A target not on disk starts from its content here (the template's skeleton).
   */
  readonly targets: ReadonlyArray<RenderedFile>
  /** Current content of existing files, by path. */
  readonly existing: ReadonlyMap<string, string>
}

// The lexical rules only: the allow/deny globs and size limits of the user's config are enforced
// when the pipeline stages the files.
const lexicalRules = new FilesConfig({
  ...defaultFilesConfig,
  allow: ["**"],
  deny: [],
  maxFileBytes: 2 ** 40,
  maxPathLength: 4096
})

/**
 * Files one change may hold: its first answer, and after each repair answer merged into it (each
 * round may add new files). Each is formatted, linted and scanned before anything is staged: a
 * change of thousands of small files (well within the byte cap) would hold the run for minutes.
 */
export const maxChangeFiles = 200

/** The refusal of a change (or an answer) of the distinct `paths` when they are more than `maxChangeFiles`. */
export const overFileCap = (paths: ReadonlySet<string>): UnsafeAnswerError | undefined =>
  paths.size <= maxChangeFiles
    ? undefined
    : new UnsafeAnswerError({
        path: `${[...paths][0]} …`,
        detail: `${paths.size} files, more than the ${maxChangeFiles} files one change may hold`
      })

/** The first of `paths` that differs only in case from another, with that other, if any. */
const caseCollision = (paths: Iterable<string>): { readonly path: string; readonly other: string } | undefined => {
  const seen = new Map<string, string>()
  for (const path of paths) {
    const other = seen.get(path.toLowerCase())
    if (other !== undefined && other !== path) return { path, other }
    seen.set(path.toLowerCase(), path)
  }
  return undefined
}

/** The workspace-relative form of a path the answer named, or why it may not be written. */
const safePath = (path: string): Result.Result<string, UnsafeAnswerError> => {
  // `~` is the home folder to the model, whatever a file system would make of it.
  if (path.startsWith("~")) return Result.fail(new UnsafeAnswerError({ path, detail: "outside the workspace (home)" }))
  const checked = checkPath(path, lexicalRules)
  if (typeof checked === "string") return Result.succeed(checked)
  const detail = checked.detail === undefined ? checked.rule : `${checked.rule} (${checked.detail})`
  return Result.fail(new UnsafeAnswerError({ path, detail }))
}

const kindOf = (edit: Edit): string => (edit._tag === "SearchReplace" ? "SEARCH/REPLACE block" : "diff")

/** An edit that makes a file from nothing: an empty SEARCH, or a diff whose hunks remove nothing. */
const creates = (edit: Edit | undefined): boolean =>
  edit !== undefined &&
  (edit._tag === "SearchReplace"
    ? edit.search.trim() === ""
    : edit.patch.hunks.every((hunk) => hunk.oldLines === 0 && hunk.oldStart === 0))

/** Files of the answer; fails with reason "truncated" when it was cut off, "no code" when it has none. */
export const answerFiles = (input: AnswerInput): Result.Result<AnswerFiles, ExtractionError | UnsafeAnswerError> => {
  const parsed = EditParse.parse(input.answer)
  if (parsed.truncated) return Result.fail(new ExtractionError({ reason: "truncated" }))
  const extracted = extractFiles(input.answer)
  const hasEdits = parsed.edits.length > 0 || parsed.malformed.length > 0
  if (Result.isFailure(extracted) && (extracted.failure.reason !== "no code" || !hasEdits)) {
    return Result.fail(extracted.failure)
  }
  const whole = Result.isSuccess(extracted) ? extracted.success.files : []

  // Every path the answer names is checked before anything is attributed to any file.
  const resolved = new Map<string, string>()
  for (const path of [
    ...whole.map((f) => f.path),
    ...parsed.edits.map((e) => e.path),
    ...parsed.malformed.map((m) => m.path)
  ]) {
    if (path === undefined || resolved.has(path)) continue
    const safe = safePath(path)
    if (Result.isFailure(safe)) return Result.fail(safe.failure)
    resolved.set(path, safe.success)
  }
  const answered = new Set(resolved.values())
  const overCap = overFileCap(answered)
  if (overCap !== undefined) return Result.fail(overCap)
  // Two names of one file where case does not count (macOS, Windows): a clone there would keep one.
  const collision = caseCollision([...input.targets.map((file) => file.path), ...input.existing.keys(), ...answered])
  if (collision !== undefined) {
    return Result.fail(
      new UnsafeAnswerError({ path: collision.path, detail: `differs only in case from ${collision.other}` })
    )
  }
  const resolve = (path: string | undefined) => (path === undefined ? undefined : resolved.get(path))
  const single = input.targets.length === 1 ? input.targets[0]?.path : undefined
  const targetList = input.targets.map((file) => file.path).join(", ")
  const unnamed = input.targets.length > 1 ? ` and this answer is about several files (${targetList})` : ""

  // An existing file starts from what is on disk: the model's edits apply to that, not to the skeleton.
  const out = new Map<string, string>(
    input.targets.map((file) => [file.path, input.existing.get(file.path) ?? file.content])
  )
  const writtenWhole = new Set<string>()
  const notes: Array<string> = []
  const failures: Array<EditFailure> = []

  // A code block with no path is the only target's, unless the answer names that target elsewhere:
  // then the block is something else (an example, a command) and must not replace the file.
  const named = new Set([...whole, ...parsed.edits].flatMap((block) => resolve(block.path) ?? []))
  let unnamedTarget = single !== undefined && !named.has(single) ? single : undefined
  for (const file of whole) {
    const path = file.path === undefined ? unnamedTarget : resolve(file.path)
    if (path === undefined) {
      notes.push("ignored a code block with no file path")
      continue
    }
    if (file.path === undefined) unnamedTarget = undefined
    out.set(path, file.content)
    writtenWhole.add(path)
  }

  const groups = new Map<string, Array<Edit>>()
  for (const edit of parsed.edits) {
    const path = edit.path === undefined ? single : resolve(edit.path)
    if (path === undefined) {
      failures.push({
        path: "",
        block: EditParse.blockOf(edit),
        message: `A ${kindOf(edit)} names no file${unnamed}; give the file's path on the line before it.`
      })
      continue
    }
    groups.set(path, [...(groups.get(path) ?? []), edit])
  }
  for (const block of parsed.malformed) {
    const path = resolve(block.path) ?? single ?? ""
    const where = path === "" ? "" : ` for ${path}`
    failures.push({
      path,
      block: block.text,
      message: `A SEARCH/REPLACE block${where} cannot be read: ${block.problem}.`
    })
  }
  if (Result.isSuccess(extracted) && extracted.success.editBlocks > 0 && !hasEdits) {
    failures.push({
      path: single ?? "",
      block: "",
      message:
        "A block marked as an edit could not be read as SEARCH/REPLACE blocks or a unified diff; write the edits as SEARCH/REPLACE blocks."
    })
  }

  for (const [path, edits] of groups) {
    const onDisk = input.existing.get(path)
    // A file that does not exist yet is created by an empty SEARCH: its REPLACE is the file.
    const base =
      writtenWhole.has(path) || onDisk !== undefined
        ? (out.get(path) ?? onDisk)
        : creates(edits[0])
          ? ""
          : out.get(path)
    if (base === undefined) {
      for (const edit of edits) {
        failures.push({
          path,
          block: EditParse.blockOf(edit),
          message: `The ${kindOf(edit)} for ${path} names no file I can find: ${path} does not exist. To create it, give an empty SEARCH part and the whole file as REPLACE.`
        })
      }
      continue
    }
    const applied = EditApply.apply(base, edits)
    out.set(path, applied.content)
    for (const outcome of applied.outcomes) {
      const failure = EditApply.failureOf(outcome, path)
      if (failure !== undefined) failures.push(failure)
      else if (outcome._tag === "Applied" && outcome.strategy === "fuzzy") {
        notes.push(`${path}: an edit matched only approximately (lines ${outcome.startLine}-${outcome.endLine})`)
      }
    }
  }
  // A file the model did not touch keeps its current content: do not emit it.
  const files = [...out.entries()]
    .filter(([path, content]) => input.existing.get(path) !== content)
    .map(([path, content]) => new RenderedFile({ path, content }))
  return Result.succeed({ files, notes, failures })
}
