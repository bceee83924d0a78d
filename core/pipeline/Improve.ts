/**
 * The improvement loop: check → ask the model to fix what fails the gate → re-check; stop at the
 * gate, after N iterations, or when no file got better. The best version of each file is kept,
 * not the last.
 */
import { Effect, Result } from "effect"
import type { QualityGate, QualityResult } from "../domain/Quality.ts"
import { gateViolations } from "../domain/Quality.ts"
import type { AIProvider } from "../services/AIProvider.ts"
import { Edits } from "./Edits.ts"
import { extractFiles } from "./Extraction.ts"

/** A generated file after formatting and checking. */
export interface CheckedFile {
  readonly path: string
  readonly language: string
  readonly content: string
  readonly quality: QualityResult
}

export interface ImproveInput {
  readonly files: ReadonlyArray<CheckedFile>
  readonly gate: QualityGate
  readonly maxIterations: number
  readonly ai: AIProvider["Service"]
  /** Formats and checks a candidate version of a file. */
  readonly recheck: (file: { readonly path: string; readonly content: string }) => Effect.Effect<CheckedFile>
  readonly maxTokens?: number
}

export interface ImproveOutput {
  readonly files: ReadonlyArray<CheckedFile>
  readonly iterations: number
  readonly notes: ReadonlyArray<string>
}

const system = [
  "You fix the quality issues of generated code without changing what it does.",
  "For each file, answer with the whole corrected file in a fenced code block whose info line is",
  "the language and the path, for example ```ts src/users.ts, or with SEARCH/REPLACE blocks",
  "preceded by the path. Do not add anything else."
].join("\n")

const describe = (file: CheckedFile, gate: QualityGate): string => {
  const issues = file.quality.issues.map(
    (i) =>
      `- ${i.line}:${i.column} ${i.severity} ${i.rule}: ${i.message}${i.fix === undefined ? "" : ` (fix: ${i.fix})`}`
  )
  return [
    `File ${file.path} (${file.language}), score ${file.quality.score.toFixed(2)}, failing: ${gateViolations(gate, file.quality).join("; ")}`,
    "Issues:",
    ...issues,
    "",
    `\`\`\`${file.language} ${file.path}`,
    file.content.trimEnd(),
    "```"
  ].join("\n")
}

/** The model's candidate for `file`: a whole file with its path (or the only one), or its edits applied. */
const candidateFor = (file: CheckedFile, answer: string, failingCount: number): string | undefined => {
  const edits = Edits.parse(answer).edits.filter((edit) => edit.path === undefined || edit.path === file.path)
  if (edits.length > 0) {
    const applied = Edits.apply(file.content, edits)
    return applied.ok ? applied.content : undefined
  }
  const extracted = extractFiles(answer)
  if (Result.isFailure(extracted)) return undefined
  const named = extracted.success.files.find((f) => f.path === file.path)
  if (named !== undefined) return named.content
  const only = extracted.success.files.length === 1 ? extracted.success.files[0] : undefined
  return failingCount === 1 && only !== undefined && only.path === undefined ? only.content : undefined
}

export const improveQuality = Effect.fnUntraced(function* (input: ImproveInput) {
  const best = new Map(input.files.map((file) => [file.path, file]))
  const notes: Array<string> = []
  let iterations = 0
  while (iterations < input.maxIterations) {
    const failing = [...best.values()].filter((file) => gateViolations(input.gate, file.quality).length > 0)
    if (failing.length === 0) break
    iterations += 1
    const answer = yield* input.ai
      .sendMessage({
        messages: [
          { role: "system", content: system },
          { role: "user", content: failing.map((file) => describe(file, input.gate)).join("\n\n") }
        ],
        maxTokens: input.maxTokens,
        temperature: 0
      })
      .pipe(Effect.result)
    if (Result.isFailure(answer)) {
      notes.push(`improvement stopped: ${answer.failure.message}`)
      break
    }
    let improved = false
    for (const file of failing) {
      const candidate = candidateFor(file, answer.success.text, failing.length)
      if (candidate === undefined || candidate === file.content) continue
      const checked = yield* input.recheck({ path: file.path, content: candidate })
      if (checked.quality.score > file.quality.score) {
        best.set(file.path, checked)
        improved = true
      }
    }
    if (!improved) {
      notes.push(`improvement stopped after ${iterations} iteration(s): the score stopped improving`)
      break
    }
  }
  return { files: input.files.map((file) => best.get(file.path) ?? file), iterations, notes } satisfies ImproveOutput
})
