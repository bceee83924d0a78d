import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import {
  gateViolations,
  QualityGate,
  QualityIssue,
  QualityResult,
  scoreIssues
} from "../../../../core/domain/Quality.ts"
import * as BiomeConfig from "../../../../plugins/quality/biome/BiomeConfig.ts"
import { toIssues } from "../../../../plugins/quality/biome/Diagnostics.ts"
import * as NativeVerdict from "../../../../plugins/quality/biome/NativeVerdict.ts"
import { summaryIn } from "../../../../plugins/quality/biome/RuleSummary.ts"
import { findExecutable } from "../../../../plugins/testing/Executables.ts"
import { withCountedThreads } from "../../../support/CountedThreads.ts"
import { wasmFiles } from "./WasmBuild.ts"

const require = createRequire(import.meta.url)
const project = path.resolve(import.meta.dirname, "../../../..")
const manifest: {
  readonly dependencies: Readonly<Record<string, string>>
  readonly optionalDependencies: Readonly<Record<string, string>>
} = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"))
const wasmVersion: string = require("@biomejs/wasm-nodejs/package.json").version

const configuration = BiomeConfig.configuration()
const key = JSON.stringify(configuration)

/** Snippets with what Biome's wasm build must find in them. */
const samples: ReadonlyArray<{ readonly name: string; readonly path: string; readonly code: string }> = [
  { name: "clean", path: "src/clean.ts", code: "export const greet = (name: string): string => name.trim()\n" },
  { name: "lint finding", path: "src/eq.ts", code: "export const same = (a: number, b: number) => a == b\n" },
  { name: "not formatted", path: "src/layout.ts", code: "export const one =   1;\n" },
  {
    name: "imports out of order",
    path: "src/imports.ts",
    code: 'import { b } from "./b"\nimport { a } from "./a"\n\nexport const both = [a, b]\n'
  },
  { name: "syntax error", path: "src/broken.ts", code: "export const = (\n" },
  { name: "clean JSX", path: "src/View.tsx", code: "export const View = () => <p>hi</p>\n" }
]

/** Harder text for positions and kinds of finding, each checked against the wasm build. */
const hardSamples: ReadonlyArray<{ readonly name: string; readonly path: string; readonly code: string }> = [
  {
    name: "non-ASCII and emoji before findings",
    path: "src/text.ts",
    code: 'const s = "é€😀👨‍👩‍👧e\u0301"; const t: any = s; if (t == 1) { debugger }\nexport { s }\n'
  },
  { name: "CRLF and tabs", path: "src/crlf.ts", code: 'let q = "😀";\r\n\tif (q == "x") {\teval(q) }\r\n' },
  {
    name: "lone CR and a line separator",
    path: "src/breaks.js",
    code: "const a = 1;\rdebugger\nconst b = 2;\u2028debugger\n"
  },
  { name: "parse error after non-ASCII", path: "src/parse.ts", code: 'const é = "😀"\nexport const f = (x => {\n' },
  {
    name: "suppression comments",
    path: "src/supp.ts",
    code: "// biome-ignore lint/suspicious/noDebugger: none here\nconst y = 1\n// biome-ignore lint/nope/notARule: x\nexport const z = y == 2\n"
  },
  {
    name: "JSX with security findings",
    path: "src/View.tsx",
    code: 'export const V = () => <a href="javascript:void(0)" target="_blank">😀</a>\n'
  },
  { name: "CommonJS", path: "src/old.cjs", code: "var x = 1\nmodule.exports = { x, f: () => arguments }\n" }
]

/** What must agree between the builds: everything but the fix hint, which the CLI's report leaves out. */
const comparable = (issue: typeof QualityIssue.Encoded) => {
  const { fix: _, ...rest } = issue
  return rest
}

/** The wasm build's lint of a file, as the thread runs it, in this process. */
const wasmLint = () =>
  wasmFiles(configuration, (workspace, projectKey, file, code) => {
    const categories: Array<"syntax" | "lint" | "action"> = ["syntax", "lint", "action"]
    return toIssues(code, workspace.pullDiagnostics({ projectKey, path: file, categories }).diagnostics)
  })

const native = NativeVerdict.currentSetup()

describe("Biome's native CLI", () => {
  it("is pinned to the wasm build's exact version, on every platform, and installed at it", () => {
    // Another version reports other rules and messages: a clean verdict would not be the wasm build's.
    expect(manifest.dependencies["@biomejs/wasm-nodejs"]).toBe(wasmVersion)
    const platforms = Object.entries(manifest.optionalDependencies).filter(([name]) => name.startsWith("biome-native-"))
    expect(platforms.map(([name]) => name).sort()).toEqual([
      "biome-native-linux-arm64",
      "biome-native-linux-arm64-musl",
      "biome-native-linux-x64",
      "biome-native-linux-x64-musl"
    ])
    for (const [, spec] of platforms)
      expect(spec).toMatch(new RegExp(`^npm:@biomejs/cli-linux-[a-z0-9-]+@${wasmVersion}$`))
    const binary = NativeVerdict.nativeBinary()
    if (process.platform === "linux" && ["x64", "arm64"].includes(process.arch)) {
      expect(binary).toBeDefined()
      expect(execFileSync(binary ?? "", ["--version"], { encoding: "utf8" })).toContain(wasmVersion)
      // Where bubblewrap is installed, the verdicts below run rather than skip.
      if (findExecutable("bwrap") !== undefined) expect(native).toBeDefined()
    }
  })

  it.skipIf(native === undefined)(
    "gives the wasm build's findings: rule, severity, message, position, level and weakness",
    async () => {
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      const lint = await wasmLint()
      const verdicts: Array<NativeVerdict.Verdict | undefined> = []
      for (const sample of [...samples, ...hardSamples]) {
        const verdict = await NativeVerdict.ask(found, sample.code, sample.path, configuration, undefined)
        verdicts.push(verdict)
        const expected = lint(sample.code, sample.path)
        expect({ sample: sample.name, issues: verdict?.issues?.map(comparable) }).toEqual({
          sample: sample.name,
          issues: expected.map(comparable).sort((a, b) => a.line - b.line || a.column - b.column)
        })
        expect({ sample: sample.name, lintClean: verdict?.lintClean }).toEqual({
          sample: sample.name,
          lintClean: expected.length === 0
        })
        // Every rule's finding has a hint: the CLI's advice, or the rule's summary from `explain`.
        for (const issue of verdict?.issues ?? []) {
          if (/^(?:lint|assist)\//.test(issue.rule)) expect(issue.fix).toEqual(expect.stringMatching(/\w/))
        }
      }
      const issues = verdicts.flatMap((verdict) => verdict?.issues ?? [])
      // The samples cover security findings (level, weakness), syntax errors, assists and suppressions.
      expect(issues).toContainEqual(expect.objectContaining({ category: "security", level: "high", cwe: "CWE-95" }))
      expect(issues).toContainEqual(expect.objectContaining({ category: "syntax", rule: "parse" }))
      expect(issues).toContainEqual(
        expect.objectContaining({ rule: "assist/source/organizeImports", severity: "info" })
      )
      expect(issues).toContainEqual(expect.objectContaining({ rule: "suppressions/unused" }))
      expect(verdicts.filter((verdict) => verdict?.formatClean === false).length).toBeGreaterThan(0)
      expect(verdicts.filter((verdict) => verdict?.parses === false).length).toBe(2)
    },
    60_000
  )

  it.skipIf(native === undefined)(
    "hints with the CLI's advice, else with the rule's summary from its binary",
    async () => {
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      const code = "let z: any = 1\nexport const same = z == 2\n"
      const verdict = await NativeVerdict.ask(found, code, "hints.ts", configuration, undefined)
      const fixOf = (rule: string) => verdict?.issues?.find((issue) => issue.rule === rule)?.fix
      // The report's own advice text.
      expect(fixOf("lint/style/useConst")).toBe("Safe fix: Use const instead.")
      // None in the report: the rule's first paragraph, as `biome explain` prints it.
      const explained = (rule: string) => execFileSync(found.binary, ["explain", rule], { encoding: "utf8" })
      expect(fixOf("lint/suspicious/noExplicitAny")).toBe(
        summaryIn(explained("noExplicitAny"), "lint/suspicious/noExplicitAny")
      )
      expect(fixOf("lint/suspicious/noDoubleEquals")).toBe("Require the use of `===` and `!==`.")
    }
  )

  it.skipIf(native === undefined)(
    "lints and checks the layout without starting the wasm thread, findings, syntax errors and all",
    () => {
      // A fresh process, whose threads are counted as they start.
      const code = [
        'import { b } from "./b"',
        'import { a } from "./a"',
        "",
        "export const both = [a,b]",
        "export function f(x: number) {",
        "  return isNaN(arguments.length) || x == 1",
        "}",
        ""
      ].join("\n")
      const output = withCountedThreads(`
      const { Effect } = await import(${JSON.stringify(pathToFileURL(require.resolve("effect")).href)})
      const { Biome } = await import(${JSON.stringify(pathToFileURL(path.join(project, "plugins/quality/biome/Biome.ts")).href)})
      const run = Effect.runPromise
      const code = ${JSON.stringify(code)}
      const lint = await run(Biome.lint(code, "src/first.ts"))
      const format = await run(Biome.checkFormat(code, "src/first.ts"))
      const broken = await run(Biome.lint("export const = (\\n", "src/broken.ts"))
      const brokenFormat = await run(Biome.checkFormat("export const = (\\n", "src/broken.ts"))
      // The tools' warm-up: a fix of empty code, which has nothing to fix.
      const warmed = await run(Biome.format("", "warm-up.ts"))
      console.log(JSON.stringify({ started, lint, format, broken, brokenFormat, warmed }))`)
      const { started, lint, format, broken, brokenFormat, warmed } = JSON.parse(output)
      expect(started).toEqual([])
      expect(lint.map((issue: { rule: string }) => issue.rule)).toEqual(
        expect.arrayContaining([
          "assist/source/organizeImports",
          "lint/complexity/noArguments",
          "lint/suspicious/noGlobalIsNan",
          "lint/suspicious/noDoubleEquals"
        ])
      )
      expect(format).toEqual([expect.objectContaining({ rule: "biome/format", line: 4 })])
      expect(broken).toContainEqual(expect.objectContaining({ rule: "parse", category: "syntax", severity: "error" }))
      // Code that does not parse has no layout to check, as in the wasm build.
      expect(brokenFormat).toEqual([])
      expect(warmed).toBe("")
    }
  )

  it.skipIf(native === undefined)("reads no configuration of the workspace and no variable of ours", async () => {
    // A workspace that turns the linter off next to the file, and a variable pointing Biome at it.
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-native-"))
    try {
      fs.writeFileSync(path.join(workspace, "biome.json"), JSON.stringify({ linter: { enabled: false } }))
      const file = path.join(workspace, "eq.ts")
      const code = "export const same = (a: number, b: number) => a == b\n"
      fs.writeFileSync(file, code)
      process.env.BIOME_CONFIG_PATH = path.join(workspace, "biome.json")
      const verdict = await NativeVerdict.verdict(code, file, configuration, key)
      expect(verdict).toEqual(
        expect.objectContaining({
          lintClean: false,
          formatClean: true,
          issues: [expect.objectContaining({ rule: "lint/suspicious/noDoubleEquals", line: 1, column: 49 })]
        })
      )
    } finally {
      delete process.env.BIOME_CONFIG_PATH
      fs.rmSync(workspace, { recursive: true, force: true })
    }
  })

  it.skipIf(native === undefined)("runs with no network, no environment and no view of the host's files", () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-native-"))
    try {
      // The sandbox the CLI runs in, with a shell in the binary's place to look around.
      const look = (script: string) =>
        execFileSync(
          native?.bwrap ?? "",
          [...NativeVerdict.sandboxArgs("/usr/bin/sh", folder), "/biome", "-c", script],
          { encoding: "utf8", env: { ...process.env, SECRET_TOKEN: "x" } }
        ).trim()
      // Only the loopback interface: no route out.
      expect(look("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '")).toBe("lo")
      expect(look("env | grep -v '^PWD=' | grep -v '^SHLVL=' | grep -v '^_=' || true")).toBe("")
      expect(look(`test -e ${JSON.stringify(project)} && echo seen || echo hidden`)).toBe("hidden")
      expect(look("touch /work/x 2>/dev/null && echo written || echo read-only")).toBe("read-only")
    } finally {
      fs.rmSync(folder, { recursive: true, force: true })
    }
  })

  it("leaves the lint and format check to the wasm build where bubblewrap is missing", () => {
    const script = `
      import { Effect } from ${JSON.stringify(pathToFileURL(require.resolve("effect")).href)}
      import { Biome } from ${JSON.stringify(pathToFileURL(path.join(project, "plugins/quality/biome/Biome.ts")).href)}
      import { currentSetup } from ${JSON.stringify(pathToFileURL(path.join(project, "plugins/quality/biome/NativeVerdict.ts")).href)}
      const code = "export const same = (a: number, b: number) => a ==  b\\n"
      const lint = await Effect.runPromise(Biome.lint(code, "src/eq.ts"))
      const format = await Effect.runPromise(Biome.checkFormat(code, "src/eq.ts"))
      console.log(JSON.stringify({ setup: currentSetup() ?? null, lint, format }))`
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-native-"))
    const output = (() => {
      try {
        fs.writeFileSync(path.join(folder, "no-bwrap.ts"), script)
        // No PATH: no bwrap to find.
        return execFileSync(path.join(project, "node_modules/.bin/node"), [path.join(folder, "no-bwrap.ts")], {
          encoding: "utf8",
          env: { HOME: os.homedir() }
        })
      } finally {
        fs.rmSync(folder, { recursive: true, force: true })
      }
    })()
    const { setup, lint, format } = JSON.parse(output)
    expect(setup).toBeNull()
    // The wasm build's findings, advices included.
    expect(lint).toEqual([expect.objectContaining({ rule: "lint/suspicious/noDoubleEquals", fix: expect.any(String) })])
    expect(format).toEqual([expect.objectContaining({ rule: "biome/format", line: 1 })])
  })

  it.runIf(native !== undefined)(
    "does not lint a file that runs into a limit, says so, and stays on for the next file",
    async () => {
      // A finding on every line: a report far over a small output limit, and slow to make.
      const code = "a == b\n".repeat(2_000)
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      for (const limits of [
        { timeoutMs: 20_000, maxOutput: 4096 },
        { timeoutMs: 50, maxOutput: 16 * 1024 * 1024 }
      ]) {
        const verdict = await NativeVerdict.ask(found, code, "flood.js", configuration, undefined, limits)
        // Nobody checked it: it cannot pass as formatted, parsed or clean.
        expect(verdict).toEqual({
          lintClean: false,
          formatClean: false,
          parses: false,
          issues: [
            expect.objectContaining({
              rule: "biome/not-linted",
              severity: "error",
              line: 1,
              message: expect.stringContaining("Biome did not lint this file (2001 lines)")
            })
          ]
        })
        // The gate does not pass a file nobody could lint, whatever else it holds.
        const issues = (verdict?.issues ?? []).map((issue) => Schema.decodeUnknownSync(QualityIssue)(issue))
        const result = new QualityResult({ score: scoreIssues(issues), issues, suggestions: [] })
        expect(gateViolations(Schema.decodeUnknownSync(QualityGate)({}), result)).not.toEqual([])
        // One hostile file does not turn the native check off for the files after it.
        expect(NativeVerdict.currentSetup()).toEqual(native)
      }
      // An interrupted run says nothing of the file.
      const aborted = new AbortController()
      const interrupted = NativeVerdict.ask(found, code, "flood.js", configuration, aborted.signal)
      aborted.abort()
      expect(await interrupted).toBeUndefined()
      const clean = await NativeVerdict.ask(found, "export const x = 1\n", "x.ts", configuration, undefined)
      expect(clean).toEqual(expect.objectContaining({ lintClean: true }))
    },
    60_000
  )

  it.runIf(native !== undefined)(
    "asks about files of a shared run that says less than all about them one by one",
    async () => {
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      const eq = { code: "export const same = (a: number, b: number) => a == b\n", path: "eq.ts" }
      const flood = { code: "a == b\n".repeat(2_000), path: "flood.js" }
      // Together over the output limit: each alone, and only the flood is not linted.
      const verdicts = await NativeVerdict.askMany(found, [eq, flood, eq], configuration, undefined, {
        timeoutMs: 20_000,
        maxOutput: 8192
      })
      expect(verdicts.map((verdict) => verdict?.issues?.map((issue) => issue.rule))).toEqual([
        ["lint/suspicious/noDoubleEquals"],
        ["biome/not-linted"],
        ["lint/suspicious/noDoubleEquals"]
      ])
      // A file that does not parse cannot be formatted; the others of its run still are.
      const printed = await NativeVerdict.printMany(
        found,
        [
          { code: "export const one =   1;\n", path: "one.ts" },
          { code: "export const = (\n", path: "broken.ts" },
          { code: "export const two =   2;\n", path: "two.ts" }
        ],
        configuration,
        undefined
      )
      expect(printed).toEqual(["export const one = 1\n", undefined, "export const two = 2\n"])
    },
    60_000
  )

  it.runIf(native !== undefined)(
    "holds a shared run to one file's output limit, so a file's verdict does not depend on its batch",
    async () => {
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      // About 48 KiB of findings: over the limit alone, under five times it.
      const flood = { code: "a == b\n".repeat(200), path: "flood.js" }
      const clean = { code: "export const x = 1\n", path: "x.ts" }
      const limits = { timeoutMs: 20_000, maxOutput: 16 * 1024 }
      const [alone] = await NativeVerdict.askMany(found, [flood], configuration, undefined, limits)
      const together = await NativeVerdict.askMany(
        found,
        [flood, clean, clean, clean, clean],
        configuration,
        undefined,
        limits
      )
      expect(alone?.issues?.map((issue) => issue.rule)).toEqual(["biome/not-linted"])
      expect(together[0]).toEqual(alone)
      expect(together.slice(1).map((verdict) => verdict?.lintClean)).toEqual([true, true, true, true])
    },
    60_000
  )

  it.runIf(native !== undefined)(
    "answers unknown for a run whose report does not decode, and stays on while the binary still works",
    async () => {
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      // A layout the CLI refuses: it prints no report at all.
      const refused = { ...configuration, formatter: { ...configuration.formatter, lineWidth: 100_000 } }
      const verdict = await NativeVerdict.ask(found, "export const x = 1\n", "x.ts", refused, undefined)
      expect(verdict).toBeUndefined()
      expect(NativeVerdict.currentSetup()).toEqual(native)
      const clean = await NativeVerdict.ask(found, "export const x = 1\n", "x.ts", configuration, undefined)
      expect(clean).toEqual(expect.objectContaining({ lintClean: true }))
    },
    60_000
  )

  it.runIf(native !== undefined)(
    "asks about the files of a run over its limit alone within the same limit of processes at once",
    async () => {
      const found = NativeVerdict.currentSetup()
      if (found === undefined) throw new Error("no native setup")
      const eq = { code: "export const same = (a: number, b: number) => a == b\n", path: "eq.ts" }
      // Together over the output limit: eight files, each asked about alone.
      const verdicts = await NativeVerdict.askMany(found, Array(8).fill(eq), configuration, undefined, {
        timeoutMs: 20_000,
        maxOutput: 2048
      })
      expect(verdicts.map((verdict) => verdict?.issues?.map((issue) => issue.rule))).toEqual(
        Array(8).fill(["lint/suspicious/noDoubleEquals"])
      )
      expect(NativeVerdict.peakRuns()).toBeLessThanOrEqual(2)
    },
    60_000
  )

  it("orders the wasm build's findings by position, as the CLI's, so a lint reads the same on both", async () => {
    const lint = await wasmLint()
    const code = "export const check = (value: number) => {\n  const unused = 1\n  return value == 2\n}\n"
    expect(lint(code, "src/check.ts").map((issue) => [issue.rule, issue.line, issue.column])).toEqual([
      ["lint/correctness/noUnusedVariables", 2, 9],
      ["lint/suspicious/noDoubleEquals", 3, 16]
    ])
  })

  it("answers unknown, never fails, when the binary cannot run", async () => {
    const broken = { binary: "/nonexistent/biome", bwrap: native?.bwrap ?? "/nonexistent/bwrap" }
    const verdict = await NativeVerdict.ask(broken, "export const x = 1\n", "x.ts", configuration, undefined)
    expect(verdict).toBeUndefined()
    // Another setup's failure leaves this machine's verdicts on.
    expect(NativeVerdict.currentSetup()).toEqual(native)
  })
})
