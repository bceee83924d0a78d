import { execFileSync } from "node:child_process"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { QualityToolError } from "../../../../core/errors.ts"
import { Biome } from "../../../../plugins/quality/biome/Biome.ts"

const messy = `import {b} from './b'
import {a} from './a'
export function  sum(values:number[]){
let total=0;for(const v of values){total+=v}
  if (total == 0) { return a }
return total+b
}
`

/** Laid out, and its imports organized: Biome's safe assist, as \`biome check --write\` applies it. */
const formatted = `import { a } from "./a"
import { b } from "./b"
export function sum(values: number[]) {
  let total = 0
  for (const v of values) {
    total += v
  }
  if (total == 0) {
    return a
  }
  return total + b
}
`

const clean = `import { readFile } from "node:fs/promises"

/** A user of the service. */
export interface User {
  readonly id: string
  readonly name: string
}

/** Reads a user from a JSON file. */
export const readUser = async (path: string): Promise<User> =>
  JSON.parse(await readFile(path, "utf8"))

export const greet = (user: User): string => \`Hello, \${user.name}!\`
`

const rulesAt = (issues: ReadonlyArray<{ rule: string; line: number; column: number }>) =>
  issues.map(({ rule, line, column }) => ({ rule, line, column }))

describe("Biome", () => {
  it("loads nothing when the module is imported", () => {
    // A fresh process: the test runner itself may already have loaded the wasm.
    const script = `
      import { createRequire } from "node:module"
      await import("./plugins/quality/biome/index.ts")
      const cache = Object.keys(createRequire(import.meta.url).cache)
      console.log(cache.some((path) => path.includes("@biomejs")))`
    const output = execFileSync("node_modules/.bin/node", ["--input-type=module", "-e", script], { encoding: "utf8" })
    expect(output.trim()).toBe("false")
  })

  describe("format", () => {
    it.effect("formats messy TypeScript in the default style", () =>
      Effect.gen(function* () {
        expect(yield* Biome.format(messy, "src/sum.ts")).toBe(formatted)
      })
    )

    it.effect("holds a file to its layout alone in the format check: the linter reports the import order", () =>
      Effect.gen(function* () {
        const unsorted = 'import { b } from "./b"\nimport { a } from "./a"\n\nexport const c = a + b\n'
        expect(yield* Biome.checkFormat(unsorted, "src/c.ts")).toEqual([])
        const rules = (yield* Biome.lint(unsorted, "src/c.ts")).map((issue) => issue.rule)
        expect(rules).toContain("assist/source/organizeImports")
        expect(yield* Biome.format(unsorted, "src/c.ts")).toBe(
          'import { a } from "./a"\nimport { b } from "./b"\n\nexport const c = a + b\n'
        )
      })
    )

    it.effect("is idempotent", () =>
      Effect.gen(function* () {
        const once = yield* Biome.format(messy, "src/sum.ts")
        expect(yield* Biome.format(once, "src/sum.ts")).toBe(once)
        expect(yield* Biome.format(clean, "src/user.ts")).toBe(clean)
      })
    )

    it.effect("fails on a syntax error instead of returning the code unchanged", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Biome.format("const a = 1\nconst b = ;\n", "src/a.ts"))
        expect(error).toBeInstanceOf(QualityToolError)
        expect(error.tool).toBe("biome")
        expect(error.path).toBe("src/a.ts")
        expect(error.cause).toContain("syntax error at 2:11")
      })
    )

    it.effect.each([
      { path: "a.ts", code: "const x = {a:1}", expected: "const x = { a: 1 }\n" },
      {
        path: "a.tsx",
        code: "export const A = ()=><div className='a'>hi</div>",
        expected: 'export const A = () => <div className="a">hi</div>\n'
      },
      { path: "a.js", code: "const x = 'a';;", expected: 'const x = "a"\n' },
      {
        path: "a.mjs",
        code: "export default function(){return 1}",
        expected: "export default function () {\n  return 1\n}\n"
      },
      { path: "a.json", code: '{"a":1,"b":[1,2]}', expected: '{ "a": 1, "b": [1, 2] }\n' }
    ])("formats $path by its extension", ({ path, code, expected }) =>
      Effect.gen(function* () {
        expect(yield* Biome.format(code, path)).toBe(expected)
      })
    )

    it.effect("takes its style from the configuration", () =>
      Effect.gen(function* () {
        const biome = Biome.make(Biome.configuration({ quoteStyle: "single", semicolons: "always", indentWidth: 4 }))
        expect(yield* biome.format('function f(){return "x"}', "a.ts")).toBe("function f() {\n    return 'x';\n}\n")
      })
    )

    it.effect("fails with the wasm's message on a path Biome cannot handle", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(Biome.format("x", "notes.unknown"))
        expect(error.cause).toContain("notes.unknown")
      })
    )

    it.effect("fails with the wasm's message on an invalid configuration", () =>
      Effect.gen(function* () {
        const biome = Biome.make(Biome.configuration({ lineWidth: 100_000 }))
        const error = yield* Effect.flip(biome.format("x", "a.ts"))
        expect(error).toBeInstanceOf(QualityToolError)
        expect(error.cause).toContain("100000")
      })
    )
  })

  describe("lint", () => {
    it.effect("reports a syntax error as a syntax issue at its line", () =>
      Effect.gen(function* () {
        const issues = yield* Biome.lint("const a = 1\nconst b = ;\nexport { a, b }\n", "src/a.ts")
        const syntax = issues.filter((issue) => issue.category === "syntax")
        expect(rulesAt(syntax)).toEqual([{ rule: "parse", line: 2, column: 11 }])
        expect(syntax[0]?.severity).toBe("error")
        expect(syntax[0]?.tool).toBe("biome")
      })
    )

    it.effect("reports == and an unused variable with their rule, line and column", () =>
      Effect.gen(function* () {
        const code = "export const check = (value: number) => {\n  const unused = 1\n  return value == 2\n}\n"
        const issues = yield* Biome.lint(code, "src/check.ts")
        expect(rulesAt(issues)).toEqual([
          { rule: "lint/correctness/noUnusedVariables", line: 2, column: 9 },
          { rule: "lint/suspicious/noDoubleEquals", line: 3, column: 16 }
        ])
        expect(issues.map((issue) => [issue.category, issue.severity])).toEqual([
          ["lint", "warning"],
          ["lint", "error"]
        ])
      })
    )

    it.effect("counts columns in UTF-16 code units when multi-byte text precedes the finding", () =>
      Effect.gen(function* () {
        // UTF-8 takes 2 bytes for "é", 3 for "€" and 4 for "😀" (2 UTF-16 code units): byte offsets
        // would put the finding 8 columns (and line starts 6 bytes) too far right.
        const code = 'const label = "déjà vu €"\nexport const same = (a: string) => a + "é😀" == label\n'
        const issues = yield* Biome.lint(code, "src/label.ts")
        const doubleEquals = issues.find((issue) => issue.rule === "lint/suspicious/noDoubleEquals")
        expect(doubleEquals).toMatchObject({ line: 2, column: 46 })
        const line = code.split("\n")[1] ?? ""
        expect(line.indexOf("==") + 1).toBe(46)
      })
    )

    it.effect("finds nothing in clean idiomatic code", () =>
      Effect.gen(function* () {
        expect(yield* Biome.lint(clean, "src/user.ts")).toEqual([])
        expect(yield* Biome.checkFormat(clean, "src/user.ts")).toEqual([])
      })
    )

    it.effect.each(["a.ts", "a.tsx", "a.js", "a.mjs"])("lints %s by its extension", (path) =>
      Effect.gen(function* () {
        const issues = yield* Biome.lint("export const f = (x) => x == 1\n", path)
        expect(issues.map((issue) => issue.rule)).toContain("lint/suspicious/noDoubleEquals")
      })
    )

    it.effect("reports JSON syntax errors and duplicate keys", () =>
      Effect.gen(function* () {
        const broken = yield* Biome.lint('{\n  "a": 1\n  "b": 2\n}\n', "data.json")
        expect(rulesAt(broken)).toEqual([{ rule: "parse", line: 3, column: 3 }])
        const duplicate = yield* Biome.lint('{\n  "a": 1,\n  "a": 2\n}\n', "package.json")
        expect(rulesAt(duplicate)).toEqual([{ rule: "lint/suspicious/noDuplicateObjectKeys", line: 2, column: 3 }])
      })
    )

    it.effect("scores Biome's security group as security findings", () =>
      Effect.gen(function* () {
        const [issue] = yield* Biome.lint('eval("1")\n', "a.js")
        expect(issue).toMatchObject({
          rule: "lint/security/noGlobalEval",
          category: "security",
          level: "high",
          cwe: "CWE-95"
        })
      })
    )
  })

  describe("open documents", () => {
    it.effect("answers for the text it is given when a path is checked again with other text", () =>
      Effect.gen(function* () {
        const loose = "export const same = (value: number) => value == 2\n"
        const strict = "export const same = (value: number) => value === 2\n"
        const rules = (issues: ReadonlyArray<{ rule: string }>) => issues.map((issue) => issue.rule)
        expect(rules(yield* Biome.lint(loose, "src/again.ts"))).toEqual(["lint/suspicious/noDoubleEquals"])
        expect(yield* Biome.lint(strict, "src/again.ts")).toEqual([])
        expect(yield* Biome.format(messy, "src/again.ts")).toBe(formatted)
        expect(rules(yield* Biome.lint(loose, "src/again.ts"))).toEqual(["lint/suspicious/noDoubleEquals"])
      })
    )

    it.effect("checks more files than it keeps open, in any order", () =>
      Effect.gen(function* () {
        const files = Array.from({ length: 20 }, (_, i) => ({
          path: `src/m${i}.ts`,
          code: i % 2 === 0 ? `export const v${i} = ${i}\n` : `export const v${i} = {a:${i}}\n`
        }))
        const lints = yield* Effect.forEach(files, ({ code, path }) => Biome.lint(code, path))
        const checks = yield* Effect.forEach([...files].reverse(), ({ code, path }) => Biome.checkFormat(code, path))
        expect(lints.every((issues) => issues.length === 0)).toBe(true)
        expect(checks.reverse().map((issues) => issues.length)).toEqual(files.map((_, i) => (i % 2 === 0 ? 0 : 1)))
      })
    )
  })

  describe("formatCheck", () => {
    it.effect("reports one format issue where the code first differs", () =>
      Effect.gen(function* () {
        const issues = yield* Biome.formatCheck.check("const a = 1\nconst b = {c:a}\n", "a.ts")
        expect(issues).toHaveLength(1)
        expect(issues[0]).toMatchObject({
          severity: "info",
          category: "format",
          rule: "biome/format",
          line: 2,
          column: 1,
          tool: "biome"
        })
      })
    )

    it.effect("leaves code that does not parse to the linter", () =>
      Effect.gen(function* () {
        expect(yield* Biome.formatCheck.check("const b = ;\n", "a.ts")).toEqual([])
      })
    )
  })
})
