/**
 * `validate` over a real TypeScript code base of 10,000+ lines (effect's HTTP sources, copied from
 * node_modules to a scratch folder) against running the Biome and ESLint CLIs with the same rules
 * one after the other, as a user would. Also: the cold start of each language's first check and
 * the steady-state lines per second per language.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect, Layer } from "effect"
import { QualityChecker } from "../core/services/QualityChecker.ts"
import { type Bench, type BenchRow, time } from "./Timing.ts"

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const bin = (name: string) => path.join(project, "node_modules", ".bin", name)

const countLines = (dir: string): number =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce(
      (sum, entry) => sum + fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8").split("\n").length,
      0
    )

const run = (command: string, args: ReadonlyArray<string>, cwd: string) => () => {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })
  if (result.error !== undefined) throw result.error
  return result.status
}

/** One file per language, for cold start and throughput. */
const samples: ReadonlyArray<readonly [string, string, string]> = [
  ["typescript", "a.ts", "export const add = (a: number, b: number): number => a + b\n"],
  ["python", "a.py", "def add(a: int, b: int) -> int:\n    return a + b\n"],
  ["go", "a.go", "package a\n\n// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n"],
  ["rust", "a.rs", "pub fn add(a: i64, b: i64) -> i64 {\n    a + b\n}\n"],
  ["java", "A.java", "public class A {\n  public static int add(int a, int b) {\n    return a + b;\n  }\n}\n"]
]

const perLanguage = async (): Promise<ReadonlyArray<BenchRow>> => {
  const { languagesLayer } = await import("../cli/Wiring.ts")
  const quality = await Effect.runPromise(
    QualityChecker.use(Effect.succeed).pipe(
      Effect.provide(QualityChecker.layer.pipe(Layer.provideMerge(languagesLayer)))
    )
  )
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
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-bench-validate-"))
  try {
    const sources = path.join(project, "node_modules", "effect", "src", "http")
    const code = path.join(scratch, "src")
    fs.cpSync(sources, code, { recursive: true })
    const lines = countLines(code)
    fs.writeFileSync(
      path.join(scratch, "biome.json"),
      JSON.stringify({
        formatter: { indentStyle: "space", lineWidth: 100 },
        linter: { rules: { preset: "recommended" } }
      })
    )
    fs.writeFileSync(
      path.join(scratch, "eslint.config.mjs"),
      [
        `import tseslint from ${JSON.stringify(path.join(project, "node_modules", "typescript-eslint", "dist", "index.js"))}`,
        `import security from ${JSON.stringify(path.join(project, "node_modules", "eslint-plugin-security", "index.js"))}`,
        "export default [{ files: ['**/*.ts'] }, tseslint.configs.base, security.configs.recommended,",
        "  { rules: { 'security/detect-object-injection': 'off', 'security/detect-non-literal-fs-filename': 'off' } }]"
      ].join("\n")
    )
    const ours = await time(
      run(process.execPath, [path.join(project, "cli", "bin.ts"), "validate", code, "--json"], scratch),
      3
    )
    const biome = await time(run(bin("biome"), ["check", "--max-diagnostics=none", code], scratch), 3)
    const eslint = await time(run(bin("eslint"), [code], scratch), 3)
    return [
      {
        name: `validate ${lines.toLocaleString("en")} lines of TypeScript (cold CLI)`,
        oursMs: ours,
        baselineMs: biome + eslint,
        target: 1.0,
        note: `biome check ${biome.toFixed(0)} ms + eslint ${eslint.toFixed(0)} ms; ours also scans for secrets`
      },
      ...(await perLanguage())
    ]
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

export default bench
