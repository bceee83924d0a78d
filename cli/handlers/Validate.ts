/**
 * The handlers of `validate` and `format`: the quality tools over files and folders.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Console, Effect, Option } from "effect"
import ignore, { type Ignore } from "ignore"
import { gateViolations } from "../../core/domain/Quality.ts"
import { FileSystemError } from "../../core/errors.ts"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../core/services/QualityChecker.ts"
import { CommandFailed } from "../CliErrors.ts"
import { loadConfig } from "../Input.ts"
import { qualityLayer } from "../QualityWiring.ts"
import { bold, dim, red, yellow } from "../Render.ts"
import { checkFiles, type FileReport, readFile } from "./CheckFiles.ts"

const skipped = new Set(["node_modules", ".git", ".tamma", "dist", "coverage", "target", "__pycache__", ".venv"])

interface IgnoreScope {
  readonly dir: string
  readonly rules: Ignore
}

const ignoredBy = (scopes: ReadonlyArray<IgnoreScope>, target: string, isDir: boolean): boolean =>
  scopes.some((scope) => {
    const relative = path.relative(scope.dir, target).split(path.sep).join("/")
    return relative !== "" && !relative.startsWith("..") && scope.rules.ignores(isDir ? `${relative}/` : relative)
  })

/** Files under the given paths, skipping dependency and build folders and what `.gitignore` files ignore. */
export const collectFiles = (paths: ReadonlyArray<string>) =>
  Effect.tryPromise({
    try: async () => {
      const out: Array<string> = []
      const visit = async (target: string, scopes: ReadonlyArray<IgnoreScope>): Promise<void> => {
        const stat = await fs.stat(target)
        if (stat.isFile()) {
          out.push(target)
          return
        }
        if (!stat.isDirectory()) return
        const gitignore = await fs.readFile(path.join(target, ".gitignore"), "utf8").catch(() => undefined)
        const here = gitignore === undefined ? scopes : [...scopes, { dir: target, rules: ignore().add(gitignore) }]
        for (const entry of (await fs.readdir(target, { withFileTypes: true })).sort((a, b) =>
          a.name.localeCompare(b.name)
        )) {
          const child = path.join(target, entry.name)
          if (skipped.has(entry.name) || ignoredBy(here, child, entry.isDirectory())) continue
          await visit(child, here)
        }
      }
      for (const target of paths) await visit(target, [])
      return out
    },
    catch: (error) =>
      new FileSystemError({
        path: paths.join(" "),
        operation: "read",
        cause: error instanceof Error ? error.message : String(error)
      })
  })

const checkPaths = Effect.fn("cli.checkFiles")(function* (
  paths: ReadonlyArray<string>,
  language: Option.Option<string>
) {
  const files = yield* collectFiles(paths)
  const reports = yield* checkFiles(files, Option.getOrUndefined(language))
  return reports.filter((report): report is FileReport => report !== null)
})

const renderReport = (reports: ReadonlyArray<FileReport>, score: number): string => {
  const out: Array<string> = []
  for (const report of reports) {
    if (report.issues.length === 0) continue
    out.push(bold(report.path) + dim(` (${report.language}, ${report.score.toFixed(2)})`))
    for (const issue of report.issues) {
      const severity = issue.severity === "error" ? red(issue.severity) : yellow(issue.severity)
      const level = issue.level === undefined ? "" : ` [${issue.level}]`
      out.push(
        `  ${`${issue.line}:${issue.column}`.padEnd(8)} ${severity.padEnd(7)} ${issue.rule}${level}  ${issue.message}`
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
  json
}: {
  readonly paths: ReadonlyArray<string>
  readonly language: Option.Option<string>
  readonly json: boolean
}) {
  const reports = yield* checkPaths(paths, language).pipe(Effect.provide(qualityLayer))
  const score = reports.length === 0 ? 1 : reports.reduce((sum, r) => sum + r.score, 0) / reports.length
  if (json) {
    yield* Console.log(JSON.stringify({ score, files: reports }, null, 2))
  } else {
    yield* Console.log(renderReport(reports, score))
  }
  const config = yield* loadConfig(process.cwd())
  const failed = reports.filter(
    (r) =>
      r.issues.some((i) => i.severity === "error" || i.category === "security") ||
      gateViolations(config.quality, { score: r.score, issues: r.issues, suggestions: [] }).length > 0
  )
  if (failed.length > 0) return yield* new CommandFailed({ reason: `${failed.length} file(s) failed the quality gate` })
})

export const format = Effect.fn("cli.format")(function* ({
  paths,
  check
}: {
  readonly paths: ReadonlyArray<string>
  readonly check: boolean
}) {
  const changed = yield* Effect.gen(function* () {
    const registry = yield* LanguageRegistry
    const quality = yield* QualityChecker
    const out: Array<string> = []
    for (const file of yield* collectFiles(paths)) {
      const pack = yield* registry.detect(file)
      if (Option.isNone(pack) || pack.value.formatter === undefined) continue
      const before = yield* readFile(file)
      const after = yield* quality.format(before, pack.value.id, file)
      if (after === before) continue
      out.push(file)
      if (!check) {
        yield* Effect.tryPromise({
          try: async () => {
            await fs.writeFile(`${file}.tamma-format.tmp`, after)
            await fs.rename(`${file}.tamma-format.tmp`, file)
          },
          catch: (error) => new FileSystemError({ path: file, operation: "write", cause: String(error) })
        })
      }
    }
    return out
  }).pipe(Effect.provide(qualityLayer))
  for (const file of changed) yield* Console.log(`${check ? "would format" : "formatted"} ${file}`)
  if (check && changed.length > 0) {
    return yield* new CommandFailed({ reason: `${changed.length} file(s) are not formatted` })
  }
})
