/**
 * Holds each mutated module to the threshold on its own: Stryker's `break` judges all files
 * together, where a well-tested module would hide a poorly tested one. Prints the per-module
 * table (the README's) and exits 1 when a module scores below `--threshold` (default 0.85).
 *
 *   node mutation/ModuleScores.ts [reports/mutation/mutation.json] [--threshold 0.85]
 */
import * as fs from "node:fs"
import { Schema } from "effect"

// The part of Stryker's mutation-testing-report-schema this reads.
const Report = Schema.Struct({
  files: Schema.Record(
    Schema.String,
    Schema.Struct({ mutants: Schema.Array(Schema.Struct({ status: Schema.String })) })
  )
})
const decodeReport = Schema.decodeUnknownSync(Schema.fromJsonString(Report))

interface ModuleScore {
  readonly file: string
  readonly mutants: number
  readonly killed: number
  readonly survived: number
  readonly noCoverage: number
  readonly ignored: number
  /** Not run yet: a run that was stopped leaves them pending. */
  readonly pending: number
  readonly score: number
}

const scoreOf = (file: string, statuses: ReadonlyArray<string>): ModuleScore => {
  const count = (...wanted: ReadonlyArray<string>) => statuses.filter((status) => wanted.includes(status)).length
  // Stryker's own formula: timeouts count as killed; ignored mutants and ones that did not compile do not count.
  const killed = count("Killed", "Timeout")
  const survived = count("Survived")
  const noCoverage = count("NoCoverage")
  const valid = killed + survived + noCoverage
  return {
    file,
    mutants: valid,
    killed,
    survived,
    noCoverage,
    ignored: count("Ignored"),
    pending: count("Pending"),
    score: valid === 0 ? 1 : killed / valid
  }
}

const args = process.argv.slice(2)
const thresholdAt = args.indexOf("--threshold")
const threshold = thresholdAt >= 0 ? Number(args[thresholdAt + 1]) : 0.85
const reportPath = args.find((arg, index) => !arg.startsWith("--") && (thresholdAt < 0 || index !== thresholdAt + 1))
const report = decodeReport(fs.readFileSync(reportPath ?? "reports/mutation/mutation.json", "utf8"))

const scores = Object.entries(report.files)
  .map(([file, { mutants }]) =>
    scoreOf(
      file,
      mutants.map((mutant) => mutant.status)
    )
  )
  .sort((a, b) => a.file.localeCompare(b.file))

const anyPending = scores.some((s) => s.pending > 0)
console.log(
  `| module | mutants | killed (incl. timeouts) | survived | no coverage | equivalent (ignored) |${anyPending ? " not run |" : ""} score |`
)
console.log(`|---|---|---|---|---|---|${anyPending ? "---|" : ""}---|`)
for (const s of scores) {
  const pending = anyPending ? ` ${s.pending} |` : ""
  console.log(
    `| \`${s.file}\` | ${s.mutants} | ${s.killed} | ${s.survived} | ${s.noCoverage} | ${s.ignored} |${pending} ${s.score.toFixed(2)} |`
  )
}
// A module with mutants not run has no score yet: it fails too.
const below = scores.filter((s) => s.score < threshold || s.pending > 0)
if (below.length > 0) {
  console.error(`below ${threshold}: ${below.map((s) => `${s.file} (${s.score.toFixed(2)})`).join(", ")}`)
  process.exitCode = 1
}
