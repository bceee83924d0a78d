/**
 * Merges Stryker reports (mutation-testing-report-schema) of runs that each mutated some of the
 * modules into one report of them all: the incremental file a later run starts from, and the
 * report `ModuleScores.ts` reads. Runs of different modules can go side by side this way, each
 * with its own incremental file.
 *
 *   node mutation/MergeReports.ts <report.json>... --out <merged.json> [--out <another.json>]
 *
 * A module's result is taken from a report whose copy of its source is the one on disk now. A run
 * also carries the modules it did not mutate, with their current source but only the results it
 * could reuse, so of those reports the one with the most mutants is the run that mutated it (the
 * one named last among equals). When none ran on the current source, the one named last is kept. Test ids are per run, so the tests are
 * given new ids, one per test file, name and place, and the mutants' `coveredBy` and `killedBy`
 * follow them.
 */
import * as fs from "node:fs"
import * as nodePath from "node:path"
import { Schema } from "effect"

// The parts of the schema this reads; everything else in each object is kept as it is.
const Rest = [Schema.Record(Schema.String, Schema.Unknown)] as const
const Test = Schema.StructWithRest(Schema.Struct({ id: Schema.String, name: Schema.String }), Rest)
const TestFile = Schema.StructWithRest(
  Schema.Struct({ tests: Schema.Array(Test), source: Schema.optional(Schema.String) }),
  Rest
)
const Mutant = Schema.StructWithRest(
  Schema.Struct({
    id: Schema.String,
    status: Schema.String,
    coveredBy: Schema.optional(Schema.Array(Schema.String)),
    killedBy: Schema.optional(Schema.Array(Schema.String))
  }),
  Rest
)
const FileResult = Schema.StructWithRest(Schema.Struct({ source: Schema.String, mutants: Schema.Array(Mutant) }), Rest)
const Report = Schema.StructWithRest(
  Schema.Struct({
    schemaVersion: Schema.String,
    files: Schema.Record(Schema.String, FileResult),
    testFiles: Schema.optional(Schema.Record(Schema.String, TestFile))
  }),
  Rest
)
type Report = typeof Report.Type
type Test = typeof Test.Type

const decodeReport = Schema.decodeUnknownSync(Schema.fromJsonString(Report))

const args = process.argv.slice(2)
const outputs = args.flatMap((arg, index) => (args[index - 1] === "--out" ? [arg] : []))
const inputs = args.filter((arg, index) => arg !== "--out" && args[index - 1] !== "--out")
if (inputs.length === 0 || outputs.length === 0) {
  console.error("usage: node mutation/MergeReports.ts <report.json>... --out <merged.json>")
  process.exit(2)
}
const reports: ReadonlyArray<Report> = inputs.map((path) => decodeReport(fs.readFileSync(path, "utf8")))

const onDisk = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, "utf8")
  } catch {
    return undefined
  }
}
const lastOf = <A>(items: ReadonlyArray<A>): A | undefined => items[items.length - 1]

// Each module from the report that ran on its current source.
const chosen = new Map<string, { readonly from: number; readonly result: typeof FileResult.Type }>()
const allFiles = [...new Set(reports.flatMap((report) => Object.keys(report.files)))].sort()
for (const file of allFiles) {
  const candidates = reports.flatMap((report, from) => {
    const result = report.files[file]
    return result === undefined ? [] : [{ from, result }]
  })
  const source = onDisk(file)
  const current = candidates
    .filter(({ result }) => result.source === source)
    .reduce<(typeof candidates)[number] | undefined>(
      (best, candidate) =>
        best === undefined || candidate.result.mutants.length >= best.result.mutants.length ? candidate : best,
      undefined
    )
  if (current === undefined)
    console.error(`${file}: no report ran on its current source; kept ${inputs[lastOf(candidates)?.from ?? 0]}'s`)
  const pick = current ?? lastOf(candidates)
  if (pick !== undefined) chosen.set(file, pick)
}
const contributors = [...new Set([...chosen.values()].map(({ from }) => from))].sort((a, b) => a - b)

// One new id per test file, name and place; each run's ids map onto them.
const newIds = new Map<string, string>()
const idMaps = new Map<number, Map<string, string>>()
const testFiles = new Map<string, { tests: Map<string, Test>; source: string | undefined; sourceMatches: boolean }>()
for (const from of contributors) {
  const idMap = new Map<string, string>()
  idMaps.set(from, idMap)
  for (const [file, testFile] of Object.entries(reports[from]?.testFiles ?? {})) {
    const merged = testFiles.get(file) ?? { tests: new Map(), source: undefined, sourceMatches: false }
    testFiles.set(file, merged)
    for (const test of testFile.tests) {
      const key = JSON.stringify([file, test.name, test.location ?? null])
      const id = newIds.get(key) ?? `t${newIds.size}`
      newIds.set(key, id)
      idMap.set(test.id, id)
      merged.tests.set(id, { ...test, id })
    }
    const matches = testFile.source !== undefined && testFile.source === onDisk(file)
    if (matches || !merged.sourceMatches) {
      merged.source = testFile.source
      merged.sourceMatches = matches
    }
  }
}

const renamed = (from: number, ids: ReadonlyArray<string> | undefined) =>
  ids?.map((id) => idMaps.get(from)?.get(id) ?? `r${from}-${id}`)

const files = Object.fromEntries(
  [...chosen].map(([file, { from, result }]) => [
    file,
    {
      ...result,
      mutants: result.mutants.map((mutant) => ({
        ...mutant,
        ...(mutant.coveredBy === undefined ? {} : { coveredBy: renamed(from, mutant.coveredBy) }),
        ...(mutant.killedBy === undefined ? {} : { killedBy: renamed(from, mutant.killedBy) })
      }))
    }
  ])
)
const mergedTestFiles = Object.fromEntries(
  [...testFiles]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { tests, source }]) => [
      file,
      { tests: [...tests.values()], ...(source === undefined ? {} : { source }) }
    ])
)

// The rest (schema version, thresholds, project root, config) from the run named last.
const merged = { ...lastOf(reports), files, testFiles: mergedTestFiles }
for (const output of outputs) {
  fs.mkdirSync(nodePath.dirname(output), { recursive: true })
  // Indented, so that a change to the kept file shows as a readable diff.
  fs.writeFileSync(output, `${JSON.stringify(merged, null, 2)}\n`)
}
console.log(
  `merged ${chosen.size} modules and ${newIds.size} tests from ${contributors.length} of ${reports.length} reports`
)
