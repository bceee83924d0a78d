/**
 * The one message a repair round sends: what the change is for, the files as they stand, and
 * every failure found in them. The model answers with edits or whole files, as in generation.
 */
import type { ChatMessage } from "../../../core/services/AIProvider.ts"
import type { RepairInput } from "../../../core/services/GeneratorRegistry.ts"

const system = [
  "You repair a code change made inside an automated pipeline. The change does not pass its checks yet:",
  "the failures below come from the edit applier, the compiler, the quality gate and the change's tests.",
  "Fix every failure while keeping what the change is for. Your answer is parsed by a program:",
  "",
  "- For a file you change, write its path on its own line, then SEARCH/REPLACE blocks:",
  "  src/path/to/file.ts",
  "  <<<<<<< SEARCH",
  "  lines copied exactly from the file as shown below",
  "  =======",
  "  the lines that replace them",
  "  >>>>>>> REPLACE",
  "- Or give the whole corrected file: a level-3 heading with its path, then one fenced code block.",
  "- When a test asserts something the requirements do not ask for, fix the test; otherwise fix the code.",
  "- Keep explanations short and outside the code blocks. Never elide code."
].join("\n")

const fence = (content: string) => {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length))
  return "`".repeat(longest + 1)
}

/** The system and user messages of a repair round. */
export const repairMessages = (input: RepairInput): ReadonlyArray<ChatMessage> => {
  const { request } = input
  const issue = request.context.issue
  const criteria = issue.acceptanceCriteria ?? []
  const functionality = request.requirements.functionality
  const user = [
    `# Repair: ${request.taskType} in ${request.language}`,
    "",
    `## Issue${issue.number === undefined ? "" : ` #${issue.number}`}: ${issue.title}`,
    ...(issue.body === undefined || issue.body === "" ? [] : ["", issue.body]),
    ...(criteria.length === 0 ? [] : ["", "Acceptance criteria:", ...criteria.map((c) => `- ${c}`)]),
    ...(functionality.length === 0 ? [] : ["", "Functionality:", ...functionality.map((f) => `- ${f}`)]),
    "",
    "## The change as it stands",
    ...input.files.flatMap((file) => {
      const marks = fence(file.content)
      return ["", `### ${file.path}`, `${marks}`, file.content.trimEnd(), marks]
    }),
    "",
    "## Failures",
    ...input.failures.map((failure) => `- ${failure.replaceAll("\n", "\n  ")}`),
    "",
    "Answer with the edits that fix every failure."
  ].join("\n")
  return [
    { role: "system", content: system },
    { role: "user", content: user }
  ]
}
