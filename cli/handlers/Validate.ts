/**
 * The handler of `validate`: the quality tools over files and folders.
 */
import { Console, Effect, Option } from "effect"
import { gateViolations } from "../../core/domain/Quality.ts"
import { type EslintMode, effectiveMode } from "../../core/pipeline/EslintScope.ts"
import type { SkippedFile } from "../../core/pipeline/FileScreen.ts"
import { CommandFailed, NothingToValidateError } from "../CliErrors.ts"
import { loadCommandConfig } from "../ConfigTrust.ts"
import { documentText, printJson } from "../JsonOutput.ts"
import { bold, dim, red, yellow } from "../Render.ts"
import { visible } from "../TerminalText.ts"
import { cachedCheck } from "./CheckCache.ts"
import { checkFiles, type FileReport } from "./CheckFiles.ts"
import { collectFiles, requireExisting } from "./CollectFiles.ts"
import { filesWithoutEslint } from "./EslintScope.ts"
import { skippedLine } from "./Format.ts"

export { collectFiles } from "./CollectFiles.ts"
export { format } from "./Format.ts"

const checkPaths = Effect.fn("cli.checkFiles")(function* (
  paths: ReadonlyArray<string>,
  language: Option.Option<string>,
  maxBytes: number,
  scope: { readonly eslint: EslintMode; readonly cache: boolean }
) {
  const files = yield* collectFiles(paths)
  const workspace = process.cwd()
  const withoutEslint = yield* filesWithoutEslint(files, scope.eslint, workspace)
  const { outcomes, cached } = yield* cachedCheck(
    files,
    { workspace, language: Option.getOrUndefined(language), maxBytes, withoutEslint, enabled: scope.cache },
    (misses, skip) => checkFiles(misses, { language: Option.getOrUndefined(language), maxBytes, withoutEslint: skip })
  )
  const checked = outcomes.filter((outcome): outcome is FileReport => outcome !== null && "issues" in outcome)
  const screened = outcomes.filter((outcome): outcome is SkippedFile => outcome !== null && "reason" in outcome)
  if (checked.length === 0) {
    // A score over no file would claim a quality nobody measured; the files the screen kept out are still named.
    for (const file of screened) yield* Console.error(skippedLine(file))
    return yield* new NothingToValidateError({
      paths,
      skipped: files.length - screened.length,
      screened: screened.length
    })
  }
  return { reports: checked, screened, skipped: files.length - checked.length - screened.length, cached }
})

const renderReport = (reports: ReadonlyArray<FileReport>, score: number): string => {
  const out: Array<string> = []
  for (const report of reports) {
    if (report.issues.length === 0) continue
    // Paths and messages come from the workspace's files (messages often quote them).
    out.push(bold(visible(report.path)) + dim(` (${report.language}, ${report.score.toFixed(2)})`))
    for (const issue of report.issues) {
      const severity = issue.severity === "error" ? red(issue.severity) : yellow(issue.severity)
      const level = issue.level === undefined ? "" : ` [${issue.level}]`
      out.push(
        `  ${`${issue.line}:${issue.column}`.padEnd(8)} ${severity.padEnd(7)} ${visible(issue.rule)}${level}  ${visible(issue.message)}`
      )
    }
  }
  const issues = reports.reduce((n, r) => n + r.issues.length, 0)
  out.push(`${reports.length} file(s), ${issues} issue(s), score ${score.toFixed(2)}`)
  return out.join("\n")
}

export const validate = Effect.fn("cli.validate")(function* ({
  paths,
  language,
  json,
  eslint,
  noCache
}: {
  readonly paths: ReadonlyArray<string>
  readonly language: Option.Option<string>
  readonly json: boolean
  readonly eslint: Option.Option<EslintMode>
  readonly noCache: boolean
}) {
  yield* requireExisting(paths)
  const config = yield* loadCommandConfig(process.cwd())
  const mode = effectiveMode(Option.getOrUndefined(eslint), config.quality.eslint)
  if (Option.isNone(eslint) && config.quality.eslint === "never") {
    yield* Console.error(
      'warning: tamma.config.json: quality.eslint "never" is ignored: a workspace may turn checks on, not off; pass --eslint never'
    )
  }
  const { reports, screened, skipped, cached } = yield* checkPaths(paths, language, config.files.maxFileBytes, {
    eslint: mode,
    cache: !noCache
  })
  if (skipped > 0) {
    yield* Console.error(`warning: skipped ${skipped} file(s) in no language tamma-codegen can check (see --language)`)
  }
  const score = reports.reduce((sum, r) => sum + r.score, 0) / reports.length
  if (json) {
    yield* printJson(documentText({ score, files: reports, skipped: screened, cached }))
  } else {
    yield* Console.log(renderReport(reports, score))
    for (const file of screened) yield* Console.log(skippedLine(file))
  }
  const failed = reports.filter(
    (r) =>
      r.issues.some((i) => i.severity === "error" || i.category === "security") ||
      gateViolations(config.quality, { score: r.score, issues: r.issues, suggestions: [] }).length > 0
  )
  if (failed.length > 0) return yield* new CommandFailed({ reason: `${failed.length} file(s) failed the quality gate` })
})
