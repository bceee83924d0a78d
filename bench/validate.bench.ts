/**
 * `validate` over a real TypeScript code base of 10,000+ lines (effect's HTTP sources, copied from
 * node_modules to a scratch folder), run as a user runs it: the package's bundled bin
 * (dist/cli/bin.js, built first when stale: BuiltBin.ts), against running the Biome and ESLint
 * CLIs with the same rules one after the other, as a user would: cold (no cache), then again with
 * 1% of the files changed (the cache in `.tamma/cache/`). It also shows whether our security
 * findings on that code base are a superset of eslint-plugin-security's, since ESLint no longer
 * runs where the workspace has no ESLint config of its own. Also: what each TypeScript tool costs
 * over that code base, the cold start of each language's first check and the steady-state lines
 * per second per language.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Layer, Schema } from "effect"
import { LanguageRegistry } from "../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../core/services/QualityChecker.ts"
import { configuration as biomeConfiguration } from "../plugins/quality/biome/BiomeConfig.ts"
import { binPath, builtBin } from "./BuiltBin.ts"
import { type Bench, type BenchRow, time } from "./Timing.ts"
import { leaksNothing } from "./TimingComparison.ts"

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const bin = (name: string) => path.join(project, "node_modules", ".bin", name)

/** The files under `dir` with their text. */
const sourcesIn = (dir: string): ReadonlyArray<readonly [string, string]> =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => [file, fs.readFileSync(file, "utf8")] as const)

const run = (command: string, args: ReadonlyArray<string>, cwd: string) => () => {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    // The cache's signing secret goes with the scratch folder, not the user's cache.
    env: { ...process.env, XDG_CACHE_HOME: path.join(cwd, "user-cache") }
  })
  if (result.error !== undefined) throw result.error
  return result
}

const decodeReport = Schema.decodeUnknownSync(
  Schema.fromJsonString(Schema.Struct({ files: Schema.Array(Schema.Unknown) }))
)

/** Our run counts only if it printed the whole report, one entry per file. */
const checked = (files: number, command: ReturnType<typeof run>) => () => {
  const result = command()
  const reported = decodeReport(result.stdout).files.length
  if (reported !== files) throw new Error(`validate reported ${reported} of ${files} files: ${result.stderr}`)
}

const Findings = Schema.fromJsonString(
  Schema.Struct({
    files: Schema.Array(
      Schema.Struct({
        path: Schema.String,
        issues: Schema.Array(
          Schema.Struct({
            line: Schema.Number,
            category: Schema.String,
            rule: Schema.String,
            tool: Schema.optional(Schema.String)
          })
        )
      })
    )
  })
)

/** The first of `sources` that our Biome finds clean (no lint, assist or format finding); paths as run in `cwd`. */
const biomeClean = (sources: ReadonlyArray<readonly [string, string]>, report: string, cwd: string) => {
  const clean = new Set(
    Schema.decodeUnknownSync(Findings)(report)
      .files.filter((file) => file.issues.every((issue) => issue.tool !== "biome"))
      .map((file) => path.resolve(cwd, file.path))
  )
  return sources.find(([file]) => clean.has(file))
}
const EslintJson = Schema.fromJsonString(
  Schema.Array(
    Schema.Struct({
      filePath: Schema.String,
      messages: Schema.Array(
        Schema.Struct({
          ruleId: Schema.NullOr(Schema.String),
          line: Schema.optional(Schema.Number),
          column: Schema.optional(Schema.Number),
          endLine: Schema.optional(Schema.Number),
          endColumn: Schema.optional(Schema.Number)
        })
      )
    })
  )
)

/**
 * The lines eslint-plugin-security flags that our security findings (without ESLint) do not: a
 * finding of ours on the same line of the same file covers it, whatever its rule. Timing findings
 * on comparisons that leak nothing are counted apart, as excluded, not as covered.
 */
const uncovered = (code: string, scratch: string, eslintConfig: string) => {
  const ours = Schema.decodeUnknownSync(Findings)(
    run(process.execPath, [binPath, "validate", code, "--json", "--no-cache", "--eslint", "never"], scratch)().stdout
  )
  const covered = new Set(
    ours.files.flatMap((file) =>
      file.issues.filter((issue) => issue.category === "security").map((issue) => `${file.path}:${issue.line}`)
    )
  )
  const plugin = Schema.decodeUnknownSync(EslintJson)(
    run(bin("eslint"), ["--config", eslintConfig, "--format", "json", code], scratch)().stdout
  )
  const theirs = plugin.flatMap((file) =>
    file.messages
      .filter((message) => message.ruleId?.startsWith("security/") === true)
      .map((message) => ({
        at: `${file.filePath}:${message.line ?? 1}`,
        rule: message.ruleId ?? "",
        // A comparison with undefined, null or a typeof: flagged by the plugin, it reveals nothing.
        leaksNothing:
          message.ruleId === "security/detect-possible-timing-attacks" &&
          leaksNothing(fs.readFileSync(file.filePath, "utf8"), message)
      }))
  )
  const notCovered = theirs.filter((finding) => !covered.has(finding.at))
  const isExcluded = (finding: (typeof theirs)[number]) => finding.leaksNothing
  return {
    total: theirs.length,
    missed: notCovered.filter((finding) => !isExcluded(finding)),
    excluded: notCovered.filter(isExcluded)
  }
}

/**
 * Medians of each command over `runs` rounds (after one warm-up round), the commands taking turns
 * within a round so that a busy spell of the machine hits all of them alike.
 */
const alternate = (commands: ReadonlyArray<() => unknown>, runs: number): ReadonlyArray<number> => {
  for (const command of commands) command()
  const samples = commands.map((): Array<number> => [])
  for (let round = 0; round < runs; round++) {
    commands.forEach((command, i) => {
      const start = performance.now()
      command()
      samples[i]?.push(performance.now() - start)
    })
  }
  return samples.map((times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0)
}

/** One file per language, for cold start and throughput. */
const samples: ReadonlyArray<readonly [string, string, string]> = [
  ["typescript", "a.ts", "export const add = (a: number, b: number): number => a + b\n"],
  ["python", "a.py", "def add(a: int, b: int) -> int:\n    return a + b\n"],
  ["go", "a.go", "package a\n\n// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n"],
  ["rust", "a.rs", "pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n"],
  ["java", "A.java", "public class A {\n  public static int add(int a, int b) {\n    return a + b;\n  }\n}\n"],
  ["javascript", "a.js", "export const add = (a, b) => a + b\n"],
  ["c", "a.c", "int add(int a, int b) { return a + b; }\n"],
  ["cpp", "a.cpp", "int add(int a, int b) { return a + b; }\n"],
  ["csharp", "A.cs", "public static class A\n{\n    public static int Add(int a, int b) => a + b;\n}\n"],
  // Closed, so that the copies joined for throughput are one valid file.
  ["php", "a.php", "<?php\n\nfunction add(int $a, int $b): int\n{\n    return $a + $b;\n}\n?>\n"],
  ["ruby", "a.rb", "def add(a, b)\n  a + b\nend\n"]
]

const registered = Effect.promise(() => import("../presets/NodeQuality.ts")).pipe(
  Effect.flatMap(({ languagesLayer }) =>
    Effect.all([LanguageRegistry.use(Effect.succeed), QualityChecker.use(Effect.succeed)]).pipe(
      Effect.provide(QualityChecker.layer.pipe(Layer.provideMerge(languagesLayer)))
    )
  )
)

/** Tools of the TypeScript pack and the shared ones, each alone over the code base, twice. */
const perTool = async (sources: ReadonlyArray<readonly [string, string]>): Promise<ReadonlyArray<BenchRow>> => {
  const [registry] = await Effect.runPromise(registered)
  const pack = await Effect.runPromise(registry.get("typescript"))
  const rows: Array<BenchRow> = []
  const tools = [...pack.tools, ...(await Effect.runPromise(registry.sharedTools))]
  for (const [index, tool] of tools.entries()) {
    // Texts no other pass used: nothing carries over (Biome keeps its last few files open).
    const pass = async (variant: number) => {
      for (const [file, code] of sources) await Effect.runPromise(tool.check(code + "\n".repeat(variant), file))
    }
    const first = performance.now()
    await pass(2 * index)
    const firstMs = performance.now() - first
    const second = performance.now()
    await pass(2 * index + 1)
    rows.push({
      name: `typescript tool ${tool.name}: first pass over the code base`,
      oursMs: firstMs,
      baselineMs: 0,
      note: `second pass ${(performance.now() - second).toFixed(0)} ms (alone, in turn with the other tools)`
    })
  }
  return rows
}

const perLanguage = async (): Promise<ReadonlyArray<BenchRow>> => {
  const [, quality] = await Effect.runPromise(registered)
  const rows: Array<BenchRow> = []
  for (const [language, file, code] of samples) {
    const start = performance.now()
    await Effect.runPromise(quality.check(code, language, file))
    const cold = performance.now() - start
    // Distinct contents defeat the per-run result cache: this measures the tools, not the cache.
    const big = Array.from({ length: 50 }, (_, i) =>
      code.replaceAll("add", `add${i}`).replaceAll("Add", `Add${i}`)
    ).join("\n")
    const lines = big.split("\n").length
    let round = 0
    const warm = await time(() => Effect.runPromise(quality.check(`${big}${"\n".repeat(++round)}`, language, file)), 10)
    rows.push({
      name: `${language}: first check / steady state`,
      oursMs: cold,
      baselineMs: 0,
      note: `${Math.round((lines / warm) * 1000).toLocaleString("en")} lines/s warm (${lines} lines in ${warm.toFixed(1)} ms)`
    })
  }
  return rows
}

const bench: Bench = async () => {
  // What a user runs: the package's bundled bin, not the sources.
  const { bin: ourBin, note: binNote } = builtBin()
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-bench-validate-"))
  try {
    const code = path.join(scratch, "src")
    fs.cpSync(path.join(project, "node_modules", "effect", "src", "http"), code, { recursive: true })
    const sources = sourcesIn(code)
    const lines = sources.reduce((sum, [, text]) => sum + text.split("\n").length, 0)
    // The configuration our Biome applies (style and recommended rules), so both check the same.
    fs.writeFileSync(path.join(scratch, "biome.json"), JSON.stringify(biomeConfiguration()))
    // The ESLint CLI's config lies outside the checked tree, as a user's setup of the two CLIs
    // would be for a project that has no ESLint config of its own: validate runs no ESLint there.
    const eslintConfig = path.join(scratch, "cli-config", "eslint.config.mjs")
    fs.mkdirSync(path.dirname(eslintConfig))
    fs.writeFileSync(
      eslintConfig,
      [
        `import tseslint from ${JSON.stringify(path.join(project, "node_modules", "typescript-eslint", "dist", "index.js"))}`,
        `import security from ${JSON.stringify(path.join(project, "node_modules", "eslint-plugin-security", "index.js"))}`,
        "export default [{ files: ['**/*.ts'] }, tseslint.configs.base, security.configs.recommended,",
        "  { rules: { 'security/detect-object-injection': 'off', 'security/detect-non-literal-fs-filename': 'off',",
        "    'security/detect-child-process': 'off' } }]"
      ].join("\n")
    )
    const validate = (...flags: ReadonlyArray<string>) =>
      checked(sources.length, run(process.execPath, [ourBin, "validate", code, "--json", ...flags], scratch))
    // With the cache: each round changes 1% of the files (new bytes: a comment line) and validates all.
    const changed = sources.filter((_, index) => index % 100 === 0)
    let round = 0
    const touchOnePercent = () => {
      round++
      for (const [file, text] of changed) fs.writeFileSync(file, `${text}// round ${round}\n`)
    }
    const warm = validate()
    // The same with a file Biome finds clean, as in a project that keeps to its formatter and
    // linter (the file above has findings); Biome's native CLI answers for both.
    const cleanReport = run(process.execPath, [ourBin, "validate", code, "--json", "--no-cache"], scratch)().stdout
    const [cleanFile = "", cleanText = ""] = biomeClean(sources, cleanReport, scratch) ?? []
    const touchClean = () => {
      round++
      fs.writeFileSync(cleanFile, `${cleanText}// round ${round}\n`)
    }
    const [ours = 0, cachedRun = 0, biome = 0, eslint = 0, unchanged = 0, cleanRun = 0] = alternate(
      [
        validate("--no-cache"),
        () => {
          touchOnePercent()
          warm()
        },
        run(bin("biome"), ["check", "--max-diagnostics=none", code], scratch),
        run(bin("eslint"), ["--config", eslintConfig, code], scratch),
        // The floor of a cached run: nothing changed, every file from the cache.
        warm,
        () => {
          if (cleanFile === "") return
          touchClean()
          warm()
        }
      ],
      5
    )
    for (const [file, text] of [...changed, [cleanFile, cleanText] as const]) {
      if (file !== "") fs.writeFileSync(file, text)
    }
    const { total, missed, excluded } = uncovered(code, scratch, eslintConfig)
    const [registry] = await Effect.runPromise(registered)
    const tools = [
      ...(await Effect.runPromise(registry.get("typescript"))).tools,
      ...(await Effect.runPromise(registry.sharedTools))
    ]
    // What ours runs beyond the rules both sides share (Biome's lint and format, ESLint's).
    const extra = tools.map((tool) => tool.name).filter((name) => !["biome", "biome-format", "eslint"].includes(name))
    return [
      {
        name: `validate ${lines.toLocaleString("en")} lines of TypeScript (cold CLI)`,
        oursMs: ours,
        baselineMs: biome + eslint,
        target: 1.0,
        note: `${binNote}; biome check ${biome.toFixed(0)} ms + eslint ${eslint.toFixed(0)} ms; ours also runs ${extra.join(", ")}; ESLint only where the workspace has a config of its own (here none)`
      },
      {
        name: `validate again with 1% of the files changed (${changed.length} of ${sources.length}, cache)`,
        oursMs: cachedRun,
        baselineMs: biome + eslint,
        target: 0.2,
        note: "the CLIs run without their caches; the changed file has Biome findings, which its native CLI reports whole"
      },
      // A code base with no file Biome finds clean has no such row.
      ...(cleanFile === ""
        ? []
        : [
            {
              name: `validate again with 1 file changed that Biome finds clean (${path.relative(code, cleanFile)})`,
              oursMs: cleanRun,
              baselineMs: biome + eslint,
              target: 0.2,
              note: "Biome's native CLI finds it clean"
            }
          ]),
      {
        name: "validate again with no file changed (every file from the cache)",
        oursMs: unchanged,
        baselineMs: biome + eslint,
        note: "the floor of a cached run: start-up, reading and hashing the files, the report"
      },
      {
        name: "our security findings a superset of eslint-plugin-security's",
        oursMs: 0,
        baselineMs: 0,
        note: `${
          missed.length === 0
            ? `yes: all ${total - excluded.length} of its other findings are on lines ours flag`
            : `no: ${missed.length} of ${total - excluded.length} missed: ${missed
                .slice(0, 10)
                .map((finding) => `${path.relative(code, finding.at)} ${finding.rule}`)
                .join(", ")}`
        }; excluded: comparison with undefined/null/typeof leaks nothing: ${excluded.length}${
          excluded.length === 0
            ? ""
            : ` (${excluded
                .slice(0, 10)
                .map((finding) => path.relative(code, finding.at))
                .join(", ")})`
        }`
      },
      ...(await perLanguage()),
      ...(await perTool(sources))
    ]
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

export default bench
