/**
 * The review step: one model pass over the final change against the requirements, answering
 * with structured findings that become suggestions. Its instructions come from the model-backed
 * generator, which loads them with its other prompts (`templates/prompts/review.md`).
 */
import { Effect, Option, Result, Schema } from "effect"
import type { CodeGenerationRequest } from "../domain/Request.ts"
import type { AIProvider } from "../services/AIProvider.ts"

export class ReviewFinding extends Schema.Class<ReviewFinding>("@tamma/codegen/ReviewFinding")({
  severity: Schema.Literals(["info", "warning", "error"]),
  file: Schema.optional(Schema.String),
  requirement: Schema.optional(Schema.String),
  message: Schema.String
}) {}

const ReviewAnswer = Schema.Struct({ findings: Schema.Array(ReviewFinding) })
const decodeAnswer = Schema.decodeUnknownOption(Schema.fromJsonString(ReviewAnswer))

/** The JSON document of an answer: a ```json block, or the outermost braces. */
export const jsonOf = (answer: string): string => {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(answer)
  if (fenced?.[1] !== undefined) return fenced[1]
  const start = answer.indexOf("{")
  const end = answer.lastIndexOf("}")
  return start >= 0 && end > start ? answer.slice(start, end + 1) : answer
}

export const reviewChange = Effect.fnUntraced(function* (
  ai: AIProvider["Service"],
  request: CodeGenerationRequest,
  files: ReadonlyArray<{ readonly path: string; readonly content: string }>,
  /** The system prompt: what to look for and the JSON to answer with. */
  instructions: string
) {
  const requirements = Object.entries(request.requirements)
    .flatMap(([kind, lines]: [string, ReadonlyArray<string>]) => lines.map((line) => `- ${kind}: ${line}`))
    .join("\n")
  const user = [
    `Issue: ${request.context.issue.title}`,
    request.context.issue.body ?? "",
    "Requirements:",
    requirements || "- none stated",
    "",
    ...files.map((file) => `\`\`\`${file.path}\n${file.content.trimEnd()}\n\`\`\``)
  ].join("\n")
  const answer = yield* ai
    .sendMessage({
      messages: [
        { role: "system", content: instructions },
        { role: "user", content: user }
      ],
      temperature: 0
    })
    .pipe(Effect.result)
  if (Result.isFailure(answer)) return { findings: [], note: `review skipped: ${answer.failure.message}` }
  const decoded = decodeAnswer(jsonOf(answer.success.text))
  return Option.match(decoded, {
    onNone: () => ({ findings: [] as ReadonlyArray<ReviewFinding>, note: "review answer did not decode as findings" }),
    onSome: (value) => ({ findings: value.findings, note: undefined })
  })
})

/** A finding as one suggestion line. */
export const suggestionOf = (finding: ReviewFinding): string =>
  `review ${finding.severity}${finding.file === undefined ? "" : ` ${finding.file}`}: ${finding.message}${
    finding.requirement === undefined ? "" : ` (requirement: ${finding.requirement})`
  }`
