import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type FormatStyle, validStyle } from "../../../core/domain/FormatStyle.ts"
import { Biome } from "../../../plugins/quality/biome/Biome.ts"
import * as BiomeConfig from "../../../plugins/quality/biome/BiomeConfig.ts"
import * as ClangFormat from "../../../plugins/quality/clang-format/ClangFormat.ts"
import { Gofmt } from "../../../plugins/quality/gofmt/Gofmt.ts"
import { prettierCore } from "../../../plugins/quality/prettier/PrettierCore.ts"
import { PrettierJava } from "../../../plugins/quality/prettier/PrettierJava.ts"
import { PrettierPhp } from "../../../plugins/quality/prettier/PrettierPhp.ts"
import { PrettierRust } from "../../../plugins/quality/prettier/PrettierRust.ts"
import { Ruff } from "../../../plugins/quality/ruff/Ruff.ts"

const tabs: FormatStyle = { indent: "tabs" }

describe("formatters in the project's style", () => {
  it.effect("Biome takes indentation, quotes and semicolons for TypeScript", () =>
    Effect.gen(function* () {
      const code = 'const a = "x"\nfunction f() {\n  return a\n}\n'
      expect(yield* Biome.format(code, "a.ts", { indent: "tabs", quotes: "single", semicolons: true })).toBe(
        "const a = 'x';\nfunction f() {\n\treturn a;\n}\n"
      )
      expect(yield* Biome.format("function f() {\n  return 'a';\n}\n", "a.ts", { indentSize: 4 })).toBe(
        'function f() {\n    return "a"\n}\n'
      )
      // No style: the default configuration, unchanged.
      expect(yield* Biome.format(code, "a.ts")).toBe(code)
    })
  )

  it.effect("Biome indents JSON in the style too", () =>
    Effect.gen(function* () {
      // Too long for one line, so Biome breaks it and its indentation shows.
      const json = `${JSON.stringify({ a: Array.from({ length: 40 }, (_, index) => index) }, null, 2)}\n`
      const formatted = yield* Biome.format(json, "a.json", { indent: "tabs" })
      expect(formatted.split("\n")[1]).toBe('\t"a": [')
    })
  )

  it.effect("a Biome configured with its own language indentation still takes the style's", () =>
    Effect.gen(function* () {
      const biome = Biome.make({
        formatter: { enabled: true, indentStyle: "space", indentWidth: 2 },
        javascript: { formatter: { indentWidth: 8 } }
      })
      expect(yield* biome.format("function f() {\n  return 1\n}\n", "a.js", { indentSize: 3 })).toBe(
        "function f() {\n   return 1;\n}\n"
      )
    })
  )

  it.effect("more styles than Biome and Ruff keep workspaces for: each still formats in its own", () =>
    Effect.gen(function* () {
      for (const indentSize of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 2]) {
        const ts = yield* Biome.format("function f() {\n  return 1\n}\n", "a.ts", { indentSize })
        expect(ts.split("\n")[1]).toBe(`${" ".repeat(indentSize)}return 1`)
        const py = yield* Ruff.format("def f():\n    return 1\n", "a.py", { indentSize })
        expect(py.split("\n")[1]).toBe(`${" ".repeat(indentSize)}return 1`)
      }
    })
  )

  it.effect("prettier-plugin-java indents with tabWidth and useTabs", () =>
    Effect.gen(function* () {
      const code = "class A { void f() { int x = 1; } }\n"
      expect(yield* PrettierJava.formatter.format(code, "A.java", { indentSize: 4 })).toBe(
        "class A {\n\n    void f() {\n        int x = 1;\n    }\n}\n"
      )
      expect(yield* PrettierJava.formatter.format(code, "A.java", tabs)).toBe(
        "class A {\n\n\tvoid f() {\n\t\tint x = 1;\n\t}\n}\n"
      )
    })
  )

  it.effect("the PHP and Rust plugins take indentation, PHP its quotes", () =>
    Effect.gen(function* () {
      expect(
        yield* PrettierPhp.formatter.format('<?php\nfunction f() { return "a"; }\n', "a.php", {
          indentSize: 2,
          quotes: "single"
        })
      ).toBe("<?php\nfunction f()\n{\n  return 'a';\n}\n")
      const rust = "fn main() { let x = 1; }\n"
      expect(yield* PrettierRust.formatter.format(rust, "a.rs", { indentSize: 2 })).toBe(
        "fn main() {\n  let x = 1;\n}\n"
      )
      expect(yield* PrettierRust.formatter.format(rust, "a.rs", tabs)).toBe("fn main() {\n\tlet x = 1;\n}\n")
    })
  )

  it.effect("Prettier's own CSS takes tabs; YAML keeps spaces, which YAML requires, but takes the width", () =>
    Effect.gen(function* () {
      expect(yield* prettierCore("css").formatter.format("a { color: red; }\n", "a.css", tabs)).toBe(
        "a {\n\tcolor: red;\n}\n"
      )
      expect(
        yield* prettierCore("yaml").formatter.format('a:\n  b: "x"\n', "a.yaml", {
          indent: "tabs",
          indentSize: 4,
          quotes: "single"
        })
      ).toBe("a:\n    b: 'x'\n")
    })
  )

  it.effect("ruff format takes indent-width, indent-style and quote-style", () =>
    Effect.gen(function* () {
      const code = 'def f():\n    return "a"\n'
      expect(yield* Ruff.format(code, "a.py", { indentSize: 2, quotes: "single" })).toBe("def f():\n  return 'a'\n")
      expect(yield* Ruff.format(code, "a.py", tabs)).toBe('def f():\n\treturn "a"\n')
      expect(yield* Ruff.format(code, "a.py")).toBe(code)
    })
  )

  it.effect("clang-format takes IndentWidth and UseTab over the pack's base style", () =>
    Effect.gen(function* () {
      const code = "int f(){if(1){return 1;}}\n"
      expect(yield* ClangFormat.c.formatter.format(code, "a.c", tabs)).toBe(
        "int f() {\n\tif (1) {\n\t\treturn 1;\n\t}\n}\n"
      )
      expect(yield* ClangFormat.c.formatter.format(code, "a.c", { indentSize: 4, indent: "spaces" })).toBe(
        "int f() {\n    if (1) {\n        return 1;\n    }\n}\n"
      )
      expect(
        yield* ClangFormat.csharp.formatter.format("class A { void F() { int x = 1; } }\n", "a.cs", { indentSize: 2 })
      ).toBe("class A\n{\n  void F()\n  {\n    int x = 1;\n  }\n}\n")
    })
  )

  it("clang-format: keys that an explicit style map names itself win over the project's layout", () => {
    expect(ClangFormat.styleWith("LLVM", undefined)).toBe("LLVM")
    expect(ClangFormat.styleWith("{BasedOnStyle: Google, IndentWidth: 3}", { indent: "tabs", indentSize: 8 })).toBe(
      "{TabWidth: 8, UseTab: ForIndentation, BasedOnStyle: Google, IndentWidth: 3}"
    )
  })

  it.effect("gofmt ignores the style: Go is always indented with tabs", () =>
    Effect.gen(function* () {
      const code = "package main\n\nfunc main() {\n\tprintln(1)\n}\n"
      expect(yield* Gofmt.formatter.format(code, "main.go", { indent: "spaces", indentSize: 4 })).toBe(code)
    })
  )

  it("a style the configuration already has changes nothing, so the formatter keeps its workspace", () => {
    const configuration = BiomeConfig.configuration()
    expect(
      BiomeConfig.withStyle(configuration, { indent: "spaces", indentSize: 2, quotes: "double", semicolons: false })
    ).toBe(configuration)
    expect(BiomeConfig.withStyle(configuration, { indentSize: 4 })).not.toBe(configuration)
    expect(Ruff.withStyle(Ruff.defaultSettings, { indent: "spaces", indentSize: 4, quotes: "double" })).toBe(
      Ruff.defaultSettings
    )
    expect(Ruff.withStyle(Ruff.defaultSettings, { quotes: "single" })).not.toBe(Ruff.defaultSettings)
  })
})

describe("format checks in the code's own habits", () => {
  it.effect("a 4-space Java file laid out by prettier-java is formatted; a messy one is not", () =>
    Effect.gen(function* () {
      const fourSpaces = "class A {\n\n    void f() {\n        int x = 1;\n        g(x);\n    }\n}\n"
      expect(yield* PrettierJava.formatCheck.check(fourSpaces, "A.java")).toEqual([])
      const messy = "class A {\n\n    void f() {\n        int x=1;\n        g(x);\n    }\n}\n"
      const issues = yield* PrettierJava.formatCheck.check(messy, "A.java")
      expect(issues.map((issue) => [issue.rule, issue.line])).toEqual([["prettier-java/format", 4]])
    })
  )

  it.effect("TypeScript with single quotes and semicolons, as Biome prints it in that style, is formatted", () =>
    Effect.gen(function* () {
      const code = "import { a } from './a';\n\nexport const b = (c: string) => {\n  const d = a(c);\n  return d;\n};\n"
      expect(yield* Biome.formatCheck.check(code, "b.ts")).toEqual([])
      expect(yield* Biome.formatCheck.check(code.replace("a(c);", "a( c );"), "b.ts")).toHaveLength(1)
    })
  )

  it.effect("Python indented with 2 spaces, as ruff prints it so, is formatted", () =>
    Effect.gen(function* () {
      const code = "def f(values):\n  total = 0\n  for value in values:\n    total += value\n  return total\n"
      expect(yield* Ruff.formatCheck.check(code, "f.py")).toEqual([])
    })
  )
})

describe("validStyle", () => {
  it("keeps the valid fields of a style and drops the others", () => {
    expect(validStyle({ indent: "tabs", indentSize: 4, quotes: "single", semicolons: false })).toEqual({
      indent: "tabs",
      indentSize: 4,
      quotes: "single",
      semicolons: false
    })
    expect(validStyle({ indent: "tabs", indentSize: 1_000_000_000, quotes: "backtick", semicolons: "yes" })).toEqual({
      indent: "tabs"
    })
    expect(validStyle({ indentSize: 2.5 })).toEqual({})
    expect(validStyle("tabs")).toEqual({})
  })
})
