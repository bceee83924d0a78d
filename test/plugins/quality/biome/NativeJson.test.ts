import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { QualityIssue } from "../../../../core/domain/Quality.ts"
import { Biome } from "../../../../plugins/quality/biome/Biome.ts"
import * as BiomeConfig from "../../../../plugins/quality/biome/BiomeConfig.ts"
import { describeSyntaxErrors, isError, toIssues } from "../../../../plugins/quality/biome/Diagnostics.ts"
import * as NativeVerdict from "../../../../plugins/quality/biome/NativeVerdict.ts"
import { withCountedThreads } from "../../../support/CountedThreads.ts"
import { wasmFiles } from "./WasmBuild.ts"

const require = createRequire(import.meta.url)
const project = path.resolve(import.meta.dirname, "../../../..")
const fixtures = path.join(project, "test/fixtures/biome-json")
const configuration = BiomeConfig.configuration()
const key = JSON.stringify(configuration)

const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), "utf8")

/**
 * Every fixture, at a path whose folders the wasm build sees and the CLI's copy does not, and a
 * tsconfig under another well-known name (`tsconfig.*.json` takes comments and trailing commas).
 */
const samples: ReadonlyArray<{ readonly path: string; readonly code: string }> = [
  ...fs
    .readdirSync(fixtures)
    .sort()
    .map((name) => ({ path: `project/config/${name}`, code: fixture(name) })),
  { path: "project/tsconfig.build.json", code: fixture("tsconfig.json") }
]

/**
 * The wasm build as the thread runs it: the lint, whether the code parses, its layout if it does,
 * and why it cannot be formatted if it does not.
 */
const wasmBuild = () =>
  wasmFiles(configuration, (workspace, projectKey, file, code) => {
    const categories: Array<"syntax" | "lint" | "action"> = ["syntax", "lint", "action"]
    const issues = toIssues(code, workspace.pullDiagnostics({ projectKey, path: file, categories }).diagnostics)
    const syntax = workspace.pullDiagnostics({ projectKey, path: file, categories: ["syntax"] })
    const errors = syntax.diagnostics.filter(isError)
    const parses = syntax.errors === 0 && errors.length === 0
    const printed: string | undefined = parses ? workspace.formatFile({ projectKey, path: file }).code : undefined
    return { issues, parses, printed, syntaxError: parses ? undefined : describeSyntaxErrors(code, errors) }
  })

const comparable = (issue: typeof QualityIssue.Encoded) => {
  const { fix: _, ...rest } = issue
  return rest
}

const native = NativeVerdict.currentSetup()

describe("Biome's native CLI on JSON", () => {
  it.skipIf(native === undefined)(
    "gives the wasm build's findings, format verdict and layout for JSON files",
    async () => {
      const wasm = await wasmBuild()
      // All at once, as `validate` asks: the files share the CLI's runs.
      const [verdicts, printed] = await Promise.all([
        Promise.all(samples.map((sample) => NativeVerdict.verdict(sample.code, sample.path, configuration, key))),
        Promise.all(samples.map((sample) => NativeVerdict.formatted(sample.code, sample.path, configuration, key)))
      ])
      for (const [index, sample] of samples.entries()) {
        const expected = wasm(sample.code, sample.path)
        const verdict = verdicts[index]
        // A format (with the assists) of code that does not parse fails as in the thread.
        if (expected.syntaxError !== undefined) {
          const fixed = await Effect.runPromise(Effect.flip(Biome.format(sample.code, sample.path)))
          expect({ sample: sample.path, cause: fixed.cause }).toEqual({
            sample: sample.path,
            cause: expected.syntaxError
          })
        }
        expect({ sample: sample.path, issues: verdict?.issues?.map(comparable) }).toEqual({
          sample: sample.path,
          issues: expected.issues.map(comparable)
        })
        expect({
          sample: sample.path,
          lintClean: verdict?.lintClean,
          parses: verdict?.parses,
          formatClean: verdict?.formatClean,
          printed: printed[index]
        }).toEqual({
          sample: sample.path,
          lintClean: expected.issues.length === 0,
          parses: expected.parses,
          formatClean: expected.printed === sample.code,
          printed: expected.printed
        })
      }
      // The samples cover what differs: parse errors, duplicate keys, files to reformat, comments
      // where the name allows them and where it does not.
      const byName = (name: string) => verdicts[samples.findIndex((sample) => sample.path.endsWith(`/${name}`))]
      expect(byName("comment.json")?.parses).toBe(false)
      expect(byName("empty.json")?.parses).toBe(false)
      expect(byName("syntax-error.json")?.parses).toBe(false)
      for (const name of ["tsconfig.json", "tsconfig.build.json", "settings.jsonc"]) {
        expect({ name, lintClean: byName(name)?.lintClean }).toEqual({ name, lintClean: true })
      }
      for (const name of ["duplicate-keys.json", "crlf.json", "non-ascii.json"]) {
        expect(byName(name)?.issues).toContainEqual(
          expect.objectContaining({ rule: "lint/suspicious/noDuplicateObjectKeys" })
        )
      }
      for (const name of ["package.json", "tsconfig.json", "unformatted.json", "long-line.json", "crlf.json"]) {
        expect({ name, formatClean: byName(name)?.formatClean }).toEqual({ name, formatClean: false })
      }
      expect(byName("duplicate-keys.json")?.formatClean).toBe(true)
    },
    60_000
  )

  it("leaves to the wasm thread the JSON files whose name would steer the CLI", () => {
    for (const file of [
      "biome.json",
      "project/biome.jsonc",
      "project/.biome.json",
      "package-lock.json",
      "project/npm-shrinkwrap.json",
      // Comments allowed by the folder's name, which the copy does not keep.
      "project/.vscode/settings.json",
      ".zed/settings.json"
    ]) {
      expect({ file, asked: NativeVerdict.askable(file) }).toEqual({ file, asked: false })
    }
    for (const file of ["package.json", "project/tsconfig.json", "a.jsonc", "x/.vscode/a.ts", "src/index.ts"]) {
      expect({ file, asked: NativeVerdict.askable(file) }).toEqual({ file, asked: true })
    }
    expect(NativeVerdict.askable("README.md")).toBe(false)
  })

  it.skipIf(native === undefined)(
    "reads a package.json as the manifest of its own folder only, which holds nothing but itself",
    async () => {
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      // Beside a package.json of type commonjs, this `.js` file would be a script, where `with` parses.
      const script = { path: "src/old.js", code: "with (a) {\n  b\n}\n" }
      const manifest = { path: "package.json", code: '{ "name": "p", "type": "commonjs" }\n' }
      const tsconfig = { path: "tsconfig.json", code: '{ "compilerOptions": { "paths": { "x": ["./y"] } } }\n' }
      const [alone] = await NativeVerdict.askMany(found, [script], configuration, undefined)
      const together = await NativeVerdict.askMany(found, [manifest, tsconfig, script], configuration, undefined)
      expect(alone?.issues).toContainEqual(expect.objectContaining({ rule: "parse", line: 1, column: 1 }))
      expect(together[2]).toEqual(alone)
      expect(together.slice(0, 2).map((verdict) => verdict?.lintClean)).toEqual([true, true])
    },
    60_000
  )

  it.skipIf(native === undefined)(
    "lints and checks the layout of JSON files (the JSON pack's tools) without starting the wasm thread",
    () => {
      // A fresh process, whose threads are counted as they start.
      const files = ["package.json", "tsconfig.json", "unformatted.json", "duplicate-keys.json", "syntax-error.json"]
      const output = withCountedThreads(`
      const { readFileSync } = await import("node:fs")
      const { Effect } = await import(${JSON.stringify(pathToFileURL(require.resolve("effect")).href)})
      const { Json } = await import(${JSON.stringify(pathToFileURL(path.join(project, "plugins/languages/json/Json.ts")).href)})
      const checked = {}
      await Promise.all(${JSON.stringify(files)}.map(async (name) => {
        const code = readFileSync(${JSON.stringify(fixtures)} + "/" + name, "utf8")
        const issues = await Promise.all(Json.pack.tools.map((tool) => Effect.runPromise(tool.check(code, "app/" + name))))
        checked[name] = issues.flat().map((issue) => issue.rule)
      }))
      // The checker's warm-up of the JSON pack: its tools and its formatter on empty JSON.
      const warmed = await Effect.runPromise(Effect.flip(Json.pack.formatter.format("", "warm-up.json")))
      console.log(JSON.stringify({ started, checked, warmed: warmed.cause }))`)
      const { started, checked, warmed } = JSON.parse(output)
      expect(started).toEqual([])
      expect(checked).toEqual({
        "package.json": ["biome/format"],
        "tsconfig.json": ["biome/format"],
        "unformatted.json": ["biome/format"],
        "duplicate-keys.json": ["lint/suspicious/noDuplicateObjectKeys", "lint/suspicious/noDuplicateObjectKeys"],
        "syntax-error.json": ["parse", "parse"]
      })
      expect(warmed).toBe(
        "syntax error at 1:1: Expected an array, an object, or a literal but instead found the end of the file."
      )
    },
    60_000
  )
})
