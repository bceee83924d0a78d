import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { structuredPatch } from "diff"
import { Effect } from "effect"
import * as fc from "fast-check"
import type { FormatStyle } from "../../../core/domain/FormatStyle.ts"
import { formatChange } from "../../../core/pipeline/FormatChange.ts"
import { Biome } from "../../../plugins/quality/biome/Biome.ts"
import { PrettierJava } from "../../../plugins/quality/prettier/PrettierJava.ts"
import { Ruff } from "../../../plugins/quality/ruff/Ruff.ts"
import { makeWorkspace, styleIn } from "../support/StyleWorkspace.ts"

/** The lines a diff from `before` to `after` adds or removes. */
const changedLines = (before: string, after: string): ReadonlyArray<string> =>
  structuredPatch("a", "b", before, after)
    .hunks.flatMap((hunk) => hunk.lines)
    .filter((line) => line.startsWith("+") || line.startsWith("-"))

const orderService = readFileSync(new URL("../../fixtures/format/java/OrderService.java", import.meta.url), "utf8")

/** A method as a model writes it: the project's indentation, a few spaces missing. */
const largestFor = `
    public Order largestFor(String customer) {
        Order largest = null;
        for(Order order:forCustomer(customer)){
            if (largest == null || order.amountCents() > largest.amountCents()) largest = order;
        }
        return largest;
    }
`

describe("formatChange", () => {
  it.effect("Java in a 4-space project: the diff is the change, formatted, and nothing else", () =>
    Effect.gen(function* () {
      const path = "src/main/java/com/acme/orders/OrderService.java"
      const root = makeWorkspace({ [path]: orderService })
      const style = yield* styleIn(root, path)
      expect(style).toMatchObject({ indent: "spaces", indentSize: 4 })
      const after = orderService.replace("\n    public record Order", `${largestFor}\n    public record Order`)
      const format = (code: string) => PrettierJava.formatter.format(code, path, style)

      // The bug: prettier-plugin-java's default re-indents the whole file to 2 spaces.
      const unstyled = yield* PrettierJava.formatter.format(after, path)
      expect(changedLines(orderService, unstyled).length).toBeGreaterThan(80)

      const result = yield* formatChange({ before: orderService, after, format })
      expect(changedLines(orderService, result)).toEqual([
        "+    public Order largestFor(String customer) {",
        "+        Order largest = null;",
        "+        for (Order order : forCustomer(customer)) {",
        "+            if (largest == null || order.amountCents() > largest.amountCents()) largest = order;",
        "+        }",
        "+        return largest;",
        "+    }",
        "+"
      ])
      // The file's own hand layout (`private int   nextId`, one-line `count()`) is left alone.
      expect(result).toContain("    private int   nextId = 1;\n")
      expect(result).toContain("    public int count() { return all.size(); }\n")
    })
  )

  it.effect("an unformatted file with a small change keeps every untouched line byte for byte", () =>
    Effect.gen(function* () {
      const before = [
        "import {readFile} from 'node:fs/promises'",
        "",
        "export const  load = async (path:string) => {",
        "    const text = await readFile(path, 'utf8')",
        "    return text.split('\\n')",
        "}",
        "",
        "export const sizes = { small : 1, large : 10 }",
        ""
      ].join("\n")
      const after = before.replace(
        "    return text.split('\\n')",
        "    return text.split('\\n').filter((line)=>line.length>0)"
      )
      const style: FormatStyle = { indent: "spaces", indentSize: 4, quotes: "single" }
      const result = yield* formatChange({ before, after, format: (code) => Biome.format(code, "src/load.ts", style) })
      expect(changedLines(before, result)).toEqual([
        "-    return text.split('\\n')",
        "+    return text.split('\\n').filter((line) => line.length > 0)"
      ])
    })
  )

  it.effect("a file with CRLF line ends keeps them, on its untouched lines and on the change's", () =>
    Effect.gen(function* () {
      const before = "export const  a = {x:1}\r\nexport function f() {\r\n  return 1\r\n}\r\n"
      const after = "export const  a = {x:1}\r\nexport function f() {\r\n  return   2\n}\r\n"
      const result = yield* formatChange({ before, after, format: (code) => Biome.format(code, "a.ts") })
      expect(result).toBe("export const  a = {x:1}\r\nexport function f() {\r\n  return 2\r\n}\r\n")
    })
  )

  it.effect("a new file, or a file already formatted in the style, is formatted whole", () =>
    Effect.gen(function* () {
      const format = (code: string) => Biome.format(code, "a.ts", { indentSize: 4 })
      const messy = "export const a = {x:1}\nexport const b = [1,2]\n"
      expect(yield* formatChange({ before: undefined, after: messy, format })).toBe(
        "export const a = { x: 1 }\nexport const b = [1, 2]\n"
      )
      const formatted = "export function f() {\n    return 1\n}\n"
      const after = "export function f() {\n    return 1\n}\nexport function g() {\n  return  2\n}\n"
      expect(yield* formatChange({ before: formatted, after, format })).toBe(
        "export function f() {\n    return 1\n}\nexport function g() {\n    return 2\n}\n"
      )
    })
  )

  it.effect("a formatter's blank line next to the change is kept; one between untouched lines is not", () =>
    Effect.gen(function* () {
      // Stands in for a formatter that separates every statement with a blank line and trims.
      const spaced = (code: string) =>
        Effect.succeed(
          `${code
            .split("\n")
            .filter((line) => line.trim() !== "")
            .map((line) => line.trim())
            .join("\n\n")}\n`
        )
      const before = "a\nb\n"
      const after = "a\nb\n  c\n"
      expect(yield* formatChange({ before, after, format: spaced })).toBe("a\nb\n\nc\n")
    })
  )

  it.effect("Python: a merge the formatter would read differently is not kept; the change stays as written", () =>
    Effect.gen(function* () {
      // A 2-space file formatted to 4: re-indenting only the touched line would move it into the
      // inner block (4 spaces is one level in the new style but two in the old).
      const before = "if x:\n  if y:\n    a()\n  b()\n"
      const after = "if x:\n  if y:\n    a()\n  c()\n"
      const format = (code: string) => Ruff.format(code, "a.py", { indentSize: 4 })
      expect(yield* formatChange({ before, after, format })).toBe(after)
    })
  )

  it("never touches a line outside the change, whatever the file and the change (property)", async () => {
    // A line-by-line formatter: single spaces, no trailing blanks, two-space indentation steps.
    const tidy = (code: string) =>
      Effect.succeed(
        code
          .split("\n")
          .map((line) => {
            const depth = Math.ceil((line.length - line.trimStart().length) / 2)
            const body = line.trim().replace(/ +/g, " ")
            return body === "" ? "" : `${"  ".repeat(depth)}${body}`
          })
          .join("\n")
      )
    // Old and new lines never coincide, so that where the change lies is never ambiguous.
    const line = (word: string) =>
      fc
        .tuple(fc.nat(5), fc.array(fc.constantFrom("a", "b", "=", "1"), { minLength: 1, maxLength: 4 }), fc.nat(2))
        .map(([indent, words, trailing]) => `${" ".repeat(indent)}${word} ${words.join("  ")}${" ".repeat(trailing)}\n`)
    await fc.assert(
      fc.asyncProperty(
        fc.array(line("old"), { minLength: 1, maxLength: 12 }),
        fc.array(line("new"), { maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        async (old, added, at, length) => {
          const start = at % (old.length + 1)
          const end = Math.min(old.length, start + (length % 3))
          const before = old.join("")
          const after = [...old.slice(0, start), ...added, ...old.slice(end)].join("")
          const result = await Effect.runPromise(formatChange({ before, after, format: tidy }))
          const unformatted = (await Effect.runPromise(tidy(before))) !== before
          if (unformatted) {
            expect(result.startsWith(old.slice(0, start).join(""))).toBe(true)
            expect(result.endsWith(old.slice(end).join(""))).toBe(true)
            const middle = result.slice(
              old.slice(0, start).join("").length,
              result.length - old.slice(end).join("").length
            )
            expect(middle).toBe(await Effect.runPromise(tidy(added.join(""))))
          } else expect(result).toBe(await Effect.runPromise(tidy(after)))
        }
      ),
      { numRuns: 300 }
    )
  })

  it("with a formatter that also changes tokens and adds lines, the lines around the change stay (property)", async () => {
    // Ends lines with `;`, puts a blank line before each `new` line, and single-spaces the rest.
    const rewrite = (code: string) =>
      Effect.succeed(
        code
          .split("\n")
          .map((line) => line.trim().replace(/ +/g, " "))
          .map((line) => (line === "" ? "" : `${line.startsWith("new") ? "\n" : ""}${line.replace(/;?$/, ";")}`))
          .join("\n")
      )
    const line = (word: string) =>
      fc
        .array(fc.constantFrom("a", "b", " ", ";"), { minLength: 1, maxLength: 5 })
        .map((parts) => `${word} ${parts.join("")}\n`)
    await fc.assert(
      fc.asyncProperty(
        fc.array(line("old"), { minLength: 1, maxLength: 12 }),
        fc.array(line("new"), { maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        async (old, added, at, length) => {
          const start = at % (old.length + 1)
          const end = Math.min(old.length, start + (length % 3))
          const before = old.join("")
          const after = [...old.slice(0, start), ...added, ...old.slice(end)].join("")
          const result = await Effect.runPromise(formatChange({ before, after, format: rewrite }))
          if ((await Effect.runPromise(rewrite(before))) === before) return
          expect(result.startsWith(old.slice(0, start).join(""))).toBe(true)
          expect(result.endsWith(old.slice(end).join(""))).toBe(true)
          // Whatever was merged reads as the change does.
          expect(await Effect.runPromise(rewrite(result))).toBe(await Effect.runPromise(rewrite(after)))
        }
      ),
      { numRuns: 300 }
    )
  })

  it.effect("fails as the formatter fails when the change does not parse", () =>
    Effect.gen(function* () {
      const format = (code: string) => Ruff.format(code, "a.py")
      const error = yield* Effect.flip(formatChange({ before: "x = 1\n", after: "def (:\n", format }))
      expect(error._tag).toBe("QualityToolError")
    })
  )
})
