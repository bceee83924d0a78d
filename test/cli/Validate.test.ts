import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { cliSync as cli, scratchFolders, writeTree } from "./support/CliProcess.ts"

const { tempDir } = scratchFolders()

const tree = (files: Record<string, string>): string => writeTree(tempDir("tamma-validate-"), files)

describe("tamma-codegen validate", () => {
  it("prints the report shape of the design with --json and exits 1 on a security finding", () => {
    const dir = tree({
      "src/clean.ts": "export const add = (a: number, b: number): number => a + b\n",
      "src/leak.ts": 'export const token = "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"\n',
      "ignored/skip.ts": "const = broken\n",
      ".gitignore": "ignored/\n"
    })
    const run = cli(["validate", dir, "--json"])
    expect(run.status).toBe(1)
    const report = JSON.parse(run.stdout) as {
      score: number
      files: Array<{ path: string; language: string; score: number; issues: Array<Record<string, unknown>> }>
    }
    expect(report.files.map((f) => path.relative(dir, f.path)).sort()).toEqual(["src/clean.ts", "src/leak.ts"])
    const leak = report.files.find((f) => f.path.endsWith("leak.ts"))
    expect(leak?.language).toBe("typescript")
    expect(leak?.issues[0]).toMatchObject({
      severity: "error",
      category: "security",
      rule: "secretlint/github",
      line: 1,
      cwe: "CWE-798",
      level: "critical"
    })
    expect(report.files.find((f) => f.path.endsWith("clean.ts"))?.score).toBe(1)
    expect(report.score).toBeLessThan(1)
  })

  it("exits 0 on clean files and prints a readable summary", () => {
    const dir = tree({ "a.ts": "export const a = 1\n", "b.json": '{ "ok": true }\n' })
    const run = cli(["validate", dir])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain("2 file(s), 0 issue(s), score 1.00")
  })

  it("reports a syntax error with its line", () => {
    const dir = tree({ "a.ts": "export const a = 1\nconst = 2\n" })
    const run = cli(["validate", dir, "--json"])
    expect(run.status).toBe(1)
    const report = JSON.parse(run.stdout) as { files: Array<{ issues: Array<{ category: string; line: number }> }> }
    expect(report.files[0]?.issues.filter((i) => i.category === "syntax").map((i) => i.line)).toEqual([2])
  })
})

describe("tamma-codegen format", () => {
  it("--check reports unformatted files without touching them, then formats them", () => {
    const dir = tree({ "a.ts": "export const a   =  1;\n", "b.ts": "export const b = 2\n" })
    const check = cli(["format", dir, "--check"])
    expect(check.status).toBe(1)
    expect(check.stdout).toContain("would format")
    expect(fs.readFileSync(path.join(dir, "a.ts"), "utf8")).toBe("export const a   =  1;\n")
    const format = cli(["format", dir])
    expect(format.status).toBe(0)
    expect(fs.readFileSync(path.join(dir, "a.ts"), "utf8")).toBe("export const a = 1\n")
    expect(cli(["format", dir, "--check"]).status).toBe(0)
  })

  it("keeps each file's own layout: a 4-space file stays 4 spaces, tabs from .editorconfig", () => {
    const dir = tree({
      "four.ts": "export function f(x: number) {\n    if (x > 1) {\n        return x   +  1\n    }\n    return x\n}\n",
      "tabs/.editorconfig": "root = true\n\n[*.ts]\nindent_style = tab\n",
      "tabs/t.ts": "export function g(x: number) {\n  return x\n}\n"
    })
    expect(cli(["format", dir]).status).toBe(0)
    expect(fs.readFileSync(path.join(dir, "four.ts"), "utf8")).toBe(
      "export function f(x: number) {\n    if (x > 1) {\n        return x + 1\n    }\n    return x\n}\n"
    )
    expect(fs.readFileSync(path.join(dir, "tabs", "t.ts"), "utf8")).toBe(
      "export function g(x: number) {\n\treturn x\n}\n"
    )
  })
})

describe("validate over the six languages and the config formats", () => {
  it("reports real issues from each language's own tools", () => {
    const dir = tree({
      "a.py": "import os\nimport subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n",
      "a.go": 'package main\n\nimport "crypto/md5"\n\nfunc H(b []byte) [16]byte {\n\treturn md5.Sum(b)\n}\n',
      "a.rs": "pub fn f(p: *const i32) -> i32 {\n    unsafe { *p }\n}\n",
      "A.java":
        "public class A {\n    public void run(String c) throws Exception {\n        Runtime.getRuntime().exec(c);\n    }\n}\n",
      "a.ts": 'export function f(x: string) {\n  if (x == "1") return new Buffer(x)\n  return eval(x)\n}\n',
      "a.js": "export function g(el, h) {\n  el.innerHTML = h\n}\n",
      "a.yaml": "a: [1\n",
      "a.css": "a { color: red\n",
      "a.md": "# Title\n\n\n\ntext\n"
    })
    const run = cli(["validate", dir, "--json", "--eslint", "always"]) // ESLint here though the folder has no ESLint config
    expect(run.status).toBe(1)
    const report = JSON.parse(run.stdout) as {
      files: Array<{
        path: string
        language: string
        issues: Array<{ rule: string; line: number; cwe?: string; level?: string }>
      }>
    }
    const rules = Object.fromEntries(report.files.map((f) => [path.basename(f.path), f.issues.map((i) => i.rule)]))
    expect(rules["a.py"]).toEqual(expect.arrayContaining(["ruff/F401", "python/command-injection"]))
    expect(rules["a.go"]).toContain("go/weak-hash")
    expect(rules["a.rs"]).toContain("rust/unsafe-block")
    expect(rules["A.java"]).toContain("java/runtime-exec")
    expect(rules["a.ts"]).toEqual(
      expect.arrayContaining(["lint/suspicious/noDoubleEquals", "security/detect-new-buffer"])
    )
    // Biome, ESLint and the tree-sitter rules all report the eval: one finding.
    const ts = report.files.find((f) => f.path.endsWith("a.ts"))?.issues ?? []
    expect(ts.filter((i) => i.cwe === "CWE-95").map((i) => [i.line, i.level])).toEqual([[3, "critical"]])
    expect(rules["a.yaml"]).toContain("prettier-yaml/parse")
    expect(rules["a.css"]).toContain("prettier-css/parse")
    expect(rules["a.md"]).toContain("prettier-markdown/format")
    expect(report.files.map((f) => f.language).sort()).toEqual([
      "css",
      "go",
      "java",
      "javascript",
      "markdown",
      "python",
      "rust",
      "typescript",
      "yaml"
    ])
  })
})

describe("validate over many files", () => {
  it("reports every file once, in order", () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 30; i++) files[`src/m${String(i).padStart(2, "0")}.ts`] = `export const v${i} = ${i}\n`
    files["src/m07.ts"] = 'export const token = "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"\n'
    const dir = tree(files)
    const run = cli(["validate", dir, "--json"])
    expect(run.status).toBe(1)
    const report = JSON.parse(run.stdout) as { files: Array<{ path: string; issues: Array<{ rule: string }> }> }
    expect(report.files.map((f) => path.basename(f.path))).toEqual(
      Object.keys(files)
        .sort()
        .map((f) => path.basename(f))
    )
    expect(report.files.find((f) => f.path.endsWith("m07.ts"))?.issues.map((i) => i.rule)).toEqual([
      "secretlint/github"
    ])
    expect(report.files.filter((f) => f.issues.length > 0)).toHaveLength(1)
  })

  it("prints the whole --json report to a pipe when the gate fails", () => {
    // Some 2,000 findings: a report far larger than what a pipe holds before its reader takes it.
    const lines = Array.from({ length: 2000 }, (_, i) => `export const same${i} = (value: number) => value == ${i}`)
    const dir = tree({ "src/loose.ts": `${lines.join("\n")}\n` })
    const run = cli(["validate", dir, "--json"])
    expect(run.status).toBe(1)
    expect(run.stdout.length).toBeGreaterThan(256 * 1024)
    const report = JSON.parse(run.stdout) as { files: Array<{ issues: Array<{ rule: string }> }> }
    expect(report.files[0]?.issues.filter((issue) => issue.rule === "lint/suspicious/noDoubleEquals")).toHaveLength(
      2000
    )
  })
})
