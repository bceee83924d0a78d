/**
 * What a generation prompt is made of, chosen from the request: the issue, analysis,
 * requirements, conventions, earlier attempts with their failures, the template's skeleton and
 * prompt part, and the existing code that matters, within a token budget (estimated at four
 * characters a token). Pure data: the prompt templates turn it into text.
 */
import type { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import type { RenderedFile, Template } from "../../../core/domain/Template.ts"

/** A rough token count: four characters a token, the usual estimate for code and English. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

export interface PromptFile {
  readonly path: string
  readonly content: string
}

export interface PromptContext {
  readonly taskType: string
  readonly language: string
  readonly framework: string | undefined
  readonly issue: CodeGenerationRequest["context"]["issue"]
  readonly analysis: CodeGenerationRequest["context"]["analysis"]
  readonly requirements: CodeGenerationRequest["requirements"]
  readonly conventions: CodeGenerationRequest["context"]["conventions"]
  readonly previousAttempts: CodeGenerationRequest["context"]["previousAttempts"]
  /** The template's own instructions (`metadata.prompt` of its manifest), if any. */
  readonly templatePrompt: string | undefined
  readonly templateId: string
  /** Files the template rendered: the shape the answer should keep. */
  readonly skeleton: ReadonlyArray<PromptFile>
  /** Files that exist already and will be edited: shown whole, edits asked as SEARCH/REPLACE. */
  readonly editable: ReadonlyArray<PromptFile>
  /** Other existing code, most relevant first, within the budget. */
  readonly reference: ReadonlyArray<PromptFile>
  /** Paths left out for the budget. */
  readonly omitted: ReadonlyArray<string>
  /** When the change is asked for file by file: the one file this prompt asks for. */
  readonly focus: string | undefined
  /** Files of this change written by earlier calls (the sources a test file is written against). */
  readonly written: ReadonlyArray<PromptFile>
}

export interface PromptContextInput {
  readonly request: CodeGenerationRequest
  readonly template: Template
  readonly skeleton: ReadonlyArray<RenderedFile>
  /** Current content of the skeleton's paths that already exist in the workspace. */
  readonly existing: ReadonlyArray<PromptFile>
  /** Tokens the existing code may take in the prompt. */
  readonly tokenBudget: number
  /** Ask for this one path of the skeleton only. */
  readonly focus?: string
  /** Files already written for this change; they take from the budget first. */
  readonly written?: ReadonlyArray<PromptFile>
}

/** Higher is more relevant: named by the analysis, then mentioning its keywords or the issue's words. */
const relevance = (request: CodeGenerationRequest, file: PromptFile): number => {
  const affected = request.context.analysis?.affectedFiles ?? []
  if (affected.includes(file.path)) return 100
  const keywords = [
    ...(request.context.analysis?.keywords ?? []),
    ...request.context.issue.title.split(/\W+/).filter((word) => word.length > 3)
  ].map((word) => word.toLowerCase())
  const haystack = `${file.path}\n${file.content}`.toLowerCase()
  return keywords.filter((word) => haystack.includes(word)).length
}

export const promptContext = (input: PromptContextInput): PromptContext => {
  const { request } = input
  const editablePaths = new Set(input.existing.map((file) => file.path))
  const written = input.written ?? []
  const writtenPaths = new Set(written.map((file) => file.path))
  let budget =
    input.tokenBudget - [...input.existing, ...written].reduce((sum, file) => sum + estimateTokens(file.content), 0)
  const candidates = request.context.existingCode
    .flatMap((file) =>
      file.content === undefined || editablePaths.has(file.path) || writtenPaths.has(file.path)
        ? []
        : [{ path: file.path, content: file.content }]
    )
    .map((file) => ({ file, score: relevance(request, file) }))
    .sort((a, b) => b.score - a.score || a.file.path.localeCompare(b.file.path))
  const reference: Array<PromptFile> = []
  const omitted: Array<string> = []
  for (const { file } of candidates) {
    const cost = estimateTokens(file.content)
    if (cost <= budget) {
      reference.push(file)
      budget -= cost
    } else omitted.push(file.path)
  }
  const prompt = input.template.manifest.metadata.prompt
  return {
    taskType: request.taskType,
    language: request.language,
    framework: request.framework,
    issue: request.context.issue,
    analysis: request.context.analysis,
    requirements: request.requirements,
    conventions: request.context.conventions,
    previousAttempts: request.context.previousAttempts,
    templatePrompt: typeof prompt === "string" ? prompt : undefined,
    templateId: input.template.id,
    skeleton: input.skeleton.filter((file) => !editablePaths.has(file.path) && !writtenPaths.has(file.path)),
    // A focused prompt edits only its own file; the other existing files are there to read.
    editable: input.focus === undefined ? input.existing : input.existing.filter((file) => file.path === input.focus),
    reference: [
      ...(input.focus === undefined ? [] : input.existing.filter((file) => file.path !== input.focus)),
      ...reference
    ],
    omitted,
    focus: input.focus,
    written: written.map((file) => ({ path: file.path, content: file.content }))
  }
}
