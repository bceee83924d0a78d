/**
 * From a model's answer to the files of a generation: whole files (named, or matched to the
 * skeleton's paths in order), and edits applied to the files that exist. Failed edits become
 * notes that say what the file really contains, ready to be sent back to the model.
 */
import { Result } from "effect"
import { RenderedFile } from "../../../core/domain/Template.ts"
import { ExtractionError } from "../../../core/errors.ts"
import { Edits } from "../../../core/pipeline/Edits.ts"
import { extractFiles } from "../../../core/pipeline/Extraction.ts"

export interface AnswerFiles {
  readonly files: ReadonlyArray<RenderedFile>
  readonly notes: ReadonlyArray<string>
  /** Edits that did not apply, described for the model. */
  readonly failures: ReadonlyArray<string>
}

export interface AnswerInput {
  readonly answer: string
  readonly skeleton: ReadonlyArray<RenderedFile>
  /** Current content of existing files, by path. */
  readonly existing: ReadonlyMap<string, string>
}

/** Files of the answer; fails with reason "truncated" when the answer was cut off, "no code" when it has none. */
export const answerFiles = (input: AnswerInput): Result.Result<AnswerFiles, ExtractionError> => {
  const parsedEdits = Edits.parse(input.answer)
  if (parsedEdits.truncated) return Result.fail(new ExtractionError({ reason: "truncated" }))
  const extracted = extractFiles(input.answer)
  if (Result.isFailure(extracted) && (extracted.failure.reason !== "no code" || parsedEdits.edits.length === 0)) {
    return Result.fail(extracted.failure)
  }
  const whole = Result.isSuccess(extracted) ? extracted.success.files : []
  // An existing file starts from what is on disk: the model's edits apply to that, not to the skeleton.
  const out = new Map<string, string>(
    input.skeleton.map((file) => [file.path, input.existing.get(file.path) ?? file.content])
  )
  const notes: Array<string> = []
  const failures: Array<string> = []

  // An unnamed block takes the next skeleton path not already named by the answer.
  const named = new Set(whole.flatMap((file) => (file.path === undefined ? [] : [file.path])))
  const free = input.skeleton.map((file) => file.path).filter((path) => !named.has(path))
  for (const file of whole) {
    const path = file.path ?? free.shift()
    if (path === undefined) {
      notes.push("ignored a code block with no file path")
      continue
    }
    out.set(path, file.content)
  }

  const single = input.skeleton.length === 1 ? input.skeleton[0]?.path : undefined
  for (const [target, edits] of Edits.byPath(parsedEdits.edits)) {
    const path = target ?? single
    const current = path === undefined ? undefined : (out.get(path) ?? input.existing.get(path))
    if (path === undefined || current === undefined) {
      failures.push(
        `Edits for ${target ?? "an unnamed file"} name no file I can find; give the path before each block.`
      )
      continue
    }
    const applied = Edits.apply(current, edits)
    out.set(path, applied.content)
    for (const outcome of applied.outcomes) {
      const failure = Edits.describeFailure(outcome)
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
