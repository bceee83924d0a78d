/**
 * Branch names and commit messages built from the issue.
 */
import type { CodeGenerationRequest } from "../domain/Request.ts"

/** Lowercase words joined by dashes, cut at a word boundary near 40 characters. */
const slug = (text: string): string => {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0)
  let out = ""
  for (const word of words) {
    const next = out === "" ? word : `${out}-${word}`
    if (next.length > 40) return out === "" ? word.slice(0, 40) : out
    out = next
  }
  return out
}

/** `<prefix><issue-number>-<slug>`, or `<prefix><slug>` without an issue number. */
export const branchName = (request: CodeGenerationRequest, prefix: string): string => {
  const issue = request.context.issue
  const base = slug(issue.title) || "change"
  return `${prefix}${issue.number === undefined ? "" : `${issue.number}-`}${base}`
}

const commitType: Record<CodeGenerationRequest["taskType"], string> = {
  implementation: "feat",
  test: "test",
  refactoring: "refactor",
  documentation: "docs"
}

/** A conventional-commit message whose body lists the files and the run id. */
export const commitMessage = (
  request: CodeGenerationRequest,
  runId: string,
  files: ReadonlyArray<{ readonly path: string; readonly action: string }>
): string => {
  const issue = request.context.issue
  // An issue title is anyone's text: its control characters are written out, so `git log` shows
  // them instead of a terminal acting on them.
  const subject = issue.title
    .replace(/\s+/g, " ")
    .trim()
    // The bidirectional overrides too: they reorder what is shown around them (Trojan Source).
    .replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, (char) => {
      const code = char.charCodeAt(0)
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`
    })
  const lowered = subject.charAt(0).toLowerCase() + subject.slice(1)
  const lines = [
    `${commitType[request.taskType]}: ${lowered}`,
    "",
    ...files.map((file) => `- ${file.action} ${file.path}`),
    "",
    ...(issue.number === undefined ? [] : [`Refs: #${issue.number}`]),
    `Tamma-Run: ${runId}`
  ]
  return `${lines.join("\n")}\n`
}
