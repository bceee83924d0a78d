/**
 * QualityChecker: fans a file out to its language's tools, merges their findings and scores them.
 */
import { createHash } from "node:crypto"
import { Context, Effect, Layer } from "effect"
import { type FormatStyle, validStyle } from "../domain/FormatStyle.ts"
import { QualityIssue, QualityResult, scoreIssues } from "../domain/Quality.ts"
import type { LanguageNotSupportedError, QualityToolError } from "../errors.ts"
import { type LanguagePack, LanguageRegistry, type QualityTool } from "./LanguageRegistry.ts"

const contentKey = (language: string, path: string, code: string): string =>
  createHash("sha256").update(language).update("\0").update(path).update("\0").update(code).digest("hex")

// Two parsers reporting the same broken line is one syntax error, whatever their wording.
// Two tools naming the same weakness (CWE) on a line are one finding, kept at its highest level.
const issueKey = (issue: QualityIssue): string =>
  issue.category === "syntax"
    ? `${issue.line}:syntax`
    : issue.category === "security" && issue.cwe !== undefined
      ? `${issue.line}:security:${issue.cwe}`
      : `${issue.line}:${issue.column}:${issue.category}:${issue.message}`

const levels = ["low", "medium", "high", "critical"]
const rank = (issue: QualityIssue): number => levels.indexOf(issue.level ?? "low")

/** Merges issues that two tools reported at the same place with the same message. */
export const dedupeIssues = (issues: ReadonlyArray<QualityIssue>): ReadonlyArray<QualityIssue> => {
  const seen = new Map<string, QualityIssue>()
  for (const issue of issues) {
    const key = issueKey(issue)
    const kept = seen.get(key)
    // Two findings of one tool are two findings: only different tools repeat each other.
    if (kept !== undefined && kept.tool === issue.tool && kept.rule !== issue.rule) {
      seen.set(`${key}:${issue.rule}`, issue)
    } else if (kept === undefined || rank(issue) > rank(kept)) seen.set(key, issue)
  }
  return [...seen.values()].sort((a, b) => a.line - b.line || a.column - b.column)
}

const suggestionsFor = (issues: ReadonlyArray<QualityIssue>): ReadonlyArray<string> => {
  const hints = new Set<string>()
  for (const issue of issues) {
    if (issue.fix !== undefined) hints.add(`${issue.rule}: ${issue.fix}`)
  }
  return [...hints]
}

export class QualityChecker extends Context.Service<
  QualityChecker,
  {
    readonly check: (
      code: string,
      language: string,
      path?: string,
      /** Names of the pack's tools not to run on this file (ESLint where the workspace has no config of its own). */
      skipTools?: ReadonlyArray<string>
    ) => Effect.Effect<QualityResult, LanguageNotSupportedError>
    /** The code as its language's formatter lays it out in `style` (see `resolveFormatStyle`). */
    readonly format: (
      code: string,
      language: string,
      path?: string,
      style?: FormatStyle
    ) => Effect.Effect<string, LanguageNotSupportedError | QualityToolError>
    /**
     * Loads the tools of `language` (the first check pays a second or more for them), so that a
     * caller can do it while it waits on something else. An unknown language does nothing.
     */
    readonly warm: (language: string, skipTools?: ReadonlyArray<string>) => Effect.Effect<void>
  }
>()("@tamma/codegen/services/QualityChecker") {
  /** Runs each pack's tools concurrently; results are cached by content hash for the layer's lifetime. */
  static readonly layer = Layer.effect(
    QualityChecker,
    Effect.gen(function* () {
      const registry = yield* LanguageRegistry
      const cache = new Map<string, QualityResult>()

      const runTools = (
        pack: LanguagePack,
        code: string,
        path: string,
        shared: ReadonlyArray<QualityTool>,
        skipTools: ReadonlyArray<string> = []
      ) =>
        Effect.forEach(
          [...pack.tools, ...shared].filter((tool) => !skipTools.includes(tool.name)),
          (tool) =>
            tool.check(code, path).pipe(
              // A tool that crashes is itself a finding: the code was not checked by it.
              Effect.catch((error) =>
                Effect.succeed([
                  new QualityIssue({
                    severity: "warning",
                    category: "lint",
                    rule: `${tool.name}/tool-error`,
                    message: error.message,
                    line: 1,
                    column: 1,
                    tool: tool.name
                  })
                ])
              )
            ),
          { concurrency: "unbounded" }
        )

      const check = Effect.fn("QualityChecker.check")(function* (
        code: string,
        language: string,
        path?: string,
        skipTools: ReadonlyArray<string> = []
      ) {
        const pack = yield* registry.get(language)
        const filePath = path ?? `file${pack.extensions[0] ?? ""}`
        const key = `${contentKey(pack.id, filePath, code)}\0${[...skipTools].sort().join(",")}`
        const cached = cache.get(key)
        if (cached !== undefined) return cached
        const perTool = yield* runTools(pack, code, filePath, yield* registry.sharedTools, skipTools)
        const issues = dedupeIssues(perTool.flat())
        const result = new QualityResult({ score: scoreIssues(issues), issues, suggestions: suggestionsFor(issues) })
        cache.set(key, result)
        return result
      })

      const format = Effect.fn("QualityChecker.format")(function* (
        code: string,
        language: string,
        path?: string,
        style?: FormatStyle
      ) {
        const pack = yield* registry.get(language)
        if (pack.formatter === undefined) return code
        // The style is the boundary's input (a request's conventions, a workspace's files): decoded here.
        const layout = style === undefined ? undefined : validStyle(style)
        return yield* pack.formatter.format(code, path ?? `file${pack.extensions[0] ?? ""}`, layout)
      })

      const warm = (language: string, skipTools: ReadonlyArray<string> = []) =>
        Effect.gen(function* () {
          const pack = yield* registry.get(language)
          const path = `warm-up${pack.extensions[0] ?? ""}`
          yield* runTools(pack, "", path, yield* registry.sharedTools, skipTools)
          if (pack.formatter !== undefined) yield* Effect.ignore(pack.formatter.format("", path))
        }).pipe(Effect.ignore, Effect.withSpan("QualityChecker.warm"))

      return QualityChecker.of({ check, format, warm })
    })
  )
}
