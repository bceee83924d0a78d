/**
 * The bench's superset row counts a timing finding of eslint-plugin-security as excluded only
 * when the flagged comparison itself is with undefined, null or a typeof: a typeof elsewhere on
 * the line must leave a real leak counted as missed. Ranges are those ESLint reports: the plugin
 * flags the whole `if` statement.
 */
import { describe, expect, it } from "@effect/vitest"
import { leaksNothing } from "../../bench/TimingComparison.ts"

/** ESLint's range of the `if` statement that starts at `line` and ends at the file's `endLine`. */
const ifAt = (text: string, line: number, endLine = line) => {
  const lines = text.split("\n")
  const column = (lines[line - 1]?.indexOf("if") ?? 0) + 1
  const last = lines[endLine - 1] ?? ""
  return { line, column, endLine, endColumn: last.trimEnd().length + 1 }
}

describe("leaksNothing", () => {
  it("excludes a comparison of a secret with undefined, null or a typeof", () => {
    for (const code of [
      "if (token === undefined) return\n",
      "if (null != password) use(password)\n",
      'if (typeof secret === "string") use(secret)\n'
    ])
      expect(leaksNothing(code, ifAt(code, 1)), code).toBe(true)
  })

  it("counts a real leak whose line also holds a typeof or an undefined check", () => {
    for (const code of [
      'const kind = typeof input; if (token === expected) accept(kind === "string")\n',
      "if (token === expected) accept(provided !== undefined)\n",
      'if (password == typeof x) deny()\nif (token === expected) accept(typeof x === "string")\n'
    ]) {
      const line = code.split("\n").length - 1
      expect(leaksNothing(code, ifAt(code, line)), code).toBe(false)
    }
  })

  it("reads only the if's test, over several lines", () => {
    const code = "if (\n  apiKey ===\n  provided\n) {\n  return typeof apiKey\n}\n"
    expect(leaksNothing(code, ifAt(code, 1, 6))).toBe(false)
  })

  it("does not take a part of a && chain for the flagged operands", () => {
    const code = 'if (typeof token === "string" && token === expected) accept()\n'
    expect(leaksNothing(code, ifAt(code, 1))).toBe(false)
  })
})
