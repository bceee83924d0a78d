/**
 * The one message a repair round sends: what the change is for, the files as they stand, and
 * every failure found in them. The model answers with edits or whole files, as in generation.
 * Its instructions are `templates/prompts/repair.md`.
 */
import type { ChatMessage } from "../../../core/services/AIProvider.ts"
import type { RepairInput } from "../../../core/services/GeneratorRegistry.ts"

const fence = (content: string) => {
  const longest = Math.max(2, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length))
  return "`".repeat(longest + 1)
}

/** The system and user messages of a repair round; `system` holds the repair instructions. */
export const repairMessages = (input: RepairInput, system: string): ReadonlyArray<ChatMessage> => {
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
