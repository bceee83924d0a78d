import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Conventions } from "../../../core/domain/Request.ts"
import { editorConfigStyle, headerPatterns, withoutHugeSections } from "../../../core/pipeline/EditorConfigStyle.ts"
import { detectStyle, majorityStyle } from "../../../core/pipeline/StyleDetection.ts"
import { resolveFormatStyle, sampleFiles } from "../../../core/pipeline/StyleResolution.ts"
import { LanguageRegistry } from "../../../core/services/LanguageRegistry.ts"
import { QualityChecker } from "../../../core/services/QualityChecker.ts"
import { Python } from "../../../plugins/languages/python/index.ts"
import { TypeScript } from "../../../plugins/languages/typescript/index.ts"
import { makeWorkspace, styleIn } from "../support/StyleWorkspace.ts"

const quality = Layer.mergeAll(QualityChecker.layer, TypeScript.layer, Python.layer).pipe(
  Layer.provideMerge(LanguageRegistry.layer)
)

const fourSpaces = (name: string) =>
  `export function ${name}(values: number[]) {\n    let total = 0\n    for (const value of values) {\n        total += value\n    }\n    return total\n}\n`
const twoSpaces = (name: string) =>
  `export function ${name}(values: number[]) {\n  let total = 0\n  for (const value of values) {\n    total += value\n  }\n  return total\n}\n`

/** A model's new TypeScript file, laid out in none of the project's habits. */
const generated = 'export function greet(name: string) {\n  const greeting = "Hello, " + name\n  return greeting\n}\n'

describe("where a file's style comes from", () => {
  it.effect(".editorconfig: the sections that match the path, nearest file last, root = true stops the search", () =>
    Effect.gen(function* () {
      const root = makeWorkspace({
        ".editorconfig": "root = true\n\n[*]\nindent_style = space\nindent_size = 4\n\n[*.py]\nindent_size = 2\n",
        "src/.editorconfig": "[legacy/**.ts]\nindent_style = tab\ntab_width = 8\nquote_type = single\n",
        "src/deep/.editorconfig": "root = true\n[*.ts]\nindent_size = 3\n"
      })
      expect(yield* styleIn(root, "src/app.ts")).toMatchObject({ indent: "spaces", indentSize: 4 })
      expect(yield* styleIn(root, "tools/run.py")).toMatchObject({ indent: "spaces", indentSize: 2 })
      expect(yield* styleIn(root, "src/legacy/old.ts")).toMatchObject({
        indent: "tabs",
        indentSize: 8,
        quotes: "single"
      })
      // src/deep's file is a root: the workspace's `[*]` does not reach below it.
      const deep = yield* styleIn(root, "src/deep/a.ts")
      expect(deep.indentSize).toBe(3)
      expect(deep.indent).toBeUndefined()
    })
  )

  it.effect(".editorconfig values that are not valid are no style", () =>
    Effect.gen(function* () {
      const files: Record<string, string> = {
        ".editorconfig": "[*]\nindent_style = sideways\nindent_size = 400\nquote_type = auto\n"
      }
      const style = yield* editorConfigStyle("a.ts", (path) => Effect.succeed(files[path]))
      expect(style).toEqual({})
    })
  )

  it("a section header's expansion is counted before the package expands it", () => {
    expect(headerPatterns("*.{js,ts,tsx}")).toBe(3)
    expect(headerPatterns("{src,test}/**/*.{ts,tsx}")).toBe(12)
    expect(headerPatterns("{1..1000000}")).toBeGreaterThan(256)
    expect(headerPatterns("**/**/**/**/**/**")).toBeGreaterThan(256)
    expect(withoutHugeSections("root = true\n[{1..99999}]\nindent_size = 3\n[*.ts]\nindent_style = tab\n")).toBe(
      "root = true\n[*.ts]\nindent_style = tab\n"
    )
  })

  it.effect("a hostile .editorconfig costs no time: its huge sections are dropped, the others still apply", () =>
    Effect.gen(function* () {
      // Expanded, `{1..1000000}` alone takes the package tens of seconds and hundreds of megabytes.
      const text =
        "[{1..1000000}]\nindent_size = 3\n[{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}]\nindent_size = 5\n[*.ts]\nindent_style = tab\n"
      const started = Date.now()
      const style = yield* editorConfigStyle("src/a.ts", (path) =>
        Effect.succeed(path === ".editorconfig" ? text : undefined)
      )
      expect(style).toEqual({ indent: "tabs" })
      expect(Date.now() - started).toBeLessThan(2000)
    })
  )

  layer(quality)("formatting in the resolved style", (it) => {
    it.effect(".editorconfig with tabs: a new TypeScript file is formatted with tabs", () =>
      Effect.gen(function* () {
        const root = makeWorkspace({ ".editorconfig": "[*.ts]\nindent_style = tab\n", "src/a.ts": twoSpaces("a") })
        const style = yield* styleIn(root, "src/greet.ts")
        expect(style.indent).toBe("tabs")
        const formatted = yield* (yield* QualityChecker).format(generated, "typescript", "src/greet.ts", style)
        expect(formatted).toBe(
          'export function greet(name: string) {\n\tconst greeting = "Hello, " + name\n\treturn greeting\n}\n'
        )
      })
    )

    it.effect("QualityChecker.format decodes the style: an absurd width never reaches the formatter", () =>
      Effect.gen(function* () {
        const code = "def f():\n  return 1\n"
        const style = { indent: "spaces", indentSize: 1_000_000_000 } as const
        expect(yield* (yield* QualityChecker).format(code, "python", "f.py", style)).toBe("def f():\n    return 1\n")
      })
    )

    it.effect("the request's conventions win over .editorconfig, field by field", () =>
      Effect.gen(function* () {
        const root = makeWorkspace({ ".editorconfig": "[*]\nindent_style = tab\nquote_type = double\n" })
        const conventions = new Conventions({ indent: "spaces", indentSize: 3, quotes: "single", notes: [] })
        const style = yield* styleIn(root, "src/greet.ts", { conventions })
        expect(style).toMatchObject({ indent: "spaces", indentSize: 3, quotes: "single" })
        const formatted = yield* (yield* QualityChecker).format(generated, "typescript", "src/greet.ts", style)
        expect(formatted).toBe(
          "export function greet(name: string) {\n   const greeting = 'Hello, ' + name\n   return greeting\n}\n"
        )
      })
    )

    it.effect("without conventions or .editorconfig, most of the files of the language decide", () =>
      Effect.gen(function* () {
        const root = makeWorkspace({
          "src/a.ts": fourSpaces("a"),
          "src/b.ts": fourSpaces("b"),
          "src/c/d.ts": fourSpaces("d"),
          "src/e.ts": twoSpaces("e"),
          // Another language, and vendored code: neither is the project's TypeScript habit.
          "src/f.py": "def f():\n  return 1\n",
          "node_modules/x/index.ts": twoSpaces("x"),
          "node_modules/y/index.ts": twoSpaces("y"),
          "node_modules/z/index.ts": twoSpaces("z")
        })
        const style = yield* styleIn(root, "src/greet.ts")
        expect(style).toMatchObject({ indent: "spaces", indentSize: 4 })
        const formatted = yield* (yield* QualityChecker).format(generated, "typescript", "src/greet.ts", style)
        expect(formatted.split("\n")[1]).toBe('    const greeting = "Hello, " + name')
      })
    )

    it.effect("TypeScript: the project's single quotes and semicolons, through Biome", () =>
      Effect.gen(function* () {
        const habit = (name: string) =>
          `import { readFile } from 'node:fs/promises';\n\nexport const ${name} = async (path: string) => {\n  const text = await readFile(path, 'utf8');\n  return text.split('\\n');\n};\n`
        const root = makeWorkspace({ "src/a.ts": habit("a"), "src/b.ts": habit("b"), "src/c.ts": habit("c") })
        const style = yield* styleIn(root, "src/greet.ts")
        expect(style).toEqual({ indent: "spaces", indentSize: 2, quotes: "single", semicolons: true })
        const formatted = yield* (yield* QualityChecker).format(generated, "typescript", "src/greet.ts", style)
        expect(formatted).toBe(
          "export function greet(name: string) {\n  const greeting = 'Hello, ' + name;\n  return greeting;\n}\n"
        )
      })
    )

    it.effect("Python keeps the project's 2-space indentation, in a new file and in an existing one", () =>
      Effect.gen(function* () {
        const existing =
          "def total(values):\n  result = 0\n  for value in values:\n    result += value\n  return result\n"
        const root = makeWorkspace({
          "pkg/total.py": existing,
          "pkg/other.py": "class A:\n  def f(self):\n    return 1\n"
        })
        const checker = yield* QualityChecker
        const newStyle = yield* styleIn(root, "pkg/mean.py")
        expect(newStyle).toMatchObject({ indent: "spaces", indentSize: 2 })
        const mean = "def mean(values):\n    if not values:\n        return 0\n    return sum(values) / len(values)\n"
        expect(yield* checker.format(mean, "python", "pkg/mean.py", newStyle)).toBe(
          "def mean(values):\n  if not values:\n    return 0\n  return sum(values) / len(values)\n"
        )
        const changed = existing.replace("  return result\n", "  return   result\n")
        const style = yield* styleIn(root, "pkg/total.py")
        expect(yield* checker.format(changed, "python", "pkg/total.py", style)).toBe(existing)
      })
    )
  })

  it.effect("an existing file's own habit beats the other files'", () =>
    Effect.gen(function* () {
      const root = makeWorkspace({
        "src/a.ts": twoSpaces("a"),
        "src/b.ts": twoSpaces("b"),
        "src/c.ts": twoSpaces("c"),
        "src/legacy.ts": fourSpaces("legacy")
      })
      expect(yield* styleIn(root, "src/legacy.ts")).toMatchObject({ indent: "spaces", indentSize: 4 })
      expect(yield* styleIn(root, "src/new.ts")).toMatchObject({ indent: "spaces", indentSize: 2 })
    })
  )

  it.effect("an indent size out of range in the conventions is no convention", () =>
    Effect.gen(function* () {
      const root = makeWorkspace({ "src/a.ts": fourSpaces("a") })
      const conventions = new Conventions({ indentSize: 1000, notes: [] })
      expect((yield* styleIn(root, "src/b.ts", { conventions })).indentSize).toBe(4)
    })
  )

  it.effect("files that cannot be read or listed are no evidence; resolution does not fail", () =>
    Effect.gen(function* () {
      const style = yield* resolveFormatStyle({
        path: "src/a.ts",
        read: () => Effect.fail("unreadable"),
        list: Effect.fail("unlistable")
      })
      expect(style).toEqual({})
    })
  )
})

describe("habits of existing code", () => {
  it("reads indentation from the steps between lines, not from comment continuations", () => {
    const java =
      "class A {\n    /**\n     * Adds.\n     */\n    int add(int a, int b) {\n        int sum = a + b;\n        log(sum);\n        return sum;\n    }\n}\n"
    expect(detectStyle(java)).toEqual({ indent: "spaces", indentSize: 4, semicolons: true })
    expect(detectStyle("func main() {\n\tif x {\n\t\ty()\n\t}\n}\n").indent).toBe("tabs")
  })

  it("counts only quotes that were a choice, and leaves an even split unset", () => {
    expect(detectStyle("const a = \"it's\"\nconst b = 'x'\n").quotes).toBe("single")
    expect(detectStyle("const a = \"x\"\nconst b = 'y'\n").quotes).toBeUndefined()
    expect(detectStyle('def f():\n    """Docstring, always double."""\n    return \'x\'\n').quotes).toBe("single")
  })

  it("sees semicolons only when most statements clearly have them or clearly do not", () => {
    expect(detectStyle("const a = 1;\nconst b = 2;\nf(a, b);\n").semicolons).toBe(true)
    expect(detectStyle("const a = 1\nconst b = 2\nf(a, b)\n").semicolons).toBe(false)
    expect(detectStyle("const a = 1\n").semicolons).toBeUndefined()
  })

  it("takes each habit from most files; the width only among files indented as most are", () => {
    expect(
      majorityStyle([
        { indent: "tabs" },
        { indent: "spaces", indentSize: 2 },
        { indent: "spaces", indentSize: 4 },
        { indent: "spaces", indentSize: 4, quotes: "single" }
      ])
    ).toEqual({ indent: "spaces", indentSize: 4, quotes: "single" })
    expect(majorityStyle([{ indent: "tabs" }, { indent: "spaces" }])).toEqual({})
  })

  it("samples files of the language nearest to the path first, a bounded number of them", () => {
    const candidates = ["z/far.ts", "src/app/near.ts", "src/mid.ts", "src/app/x.py", "vendor/v.ts", "src/app/self.ts"]
    expect(sampleFiles("src/app/self.ts", candidates, [".ts"], 2)).toEqual(["src/app/near.ts", "src/mid.ts"])
  })
})
