/**
 * Example calls in an issue's prose: `slugify("Hello, World!") is "hello-world"`,
 * `add(2, 3) returns 5`, `add(2, 3) == 5`, `add(2, 3) -> 5`, `add(2, 3) → 5`. Arguments and
 * results are JSON-ish literals; a call whose arguments are not literals is not an example.
 */
import type { Example } from "../../../core/domain/TestCase.ts"
import { parseArguments, parseValue } from "./ValueSyntax.ts"

export type { Example }

const callStart = /(?<![\w$.])((?:[A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*)\s*\(/g
const verdict = /^[`'"]?\s*(?:returns?|is|equals?|gives|yields|should (?:return|be|equal)|===|==|->|=>|→)\s*`?/i

/** Every example in one line of text, in order. */
export const examplesIn = (line: string): ReadonlyArray<Example> => {
  const found: Array<Example> = []
  callStart.lastIndex = 0
  for (let match = callStart.exec(line); match !== null; match = callStart.exec(line)) {
    const qualified = match[1] ?? ""
    const args = parseArguments(line, match.index + match[0].length)
    if (args === undefined) continue
    const rest = line.slice(args.end)
    const arrow = verdict.exec(rest.trimStart())
    if (arrow === null) continue
    const valueAt = args.end + (rest.length - rest.trimStart().length) + arrow[0].length
    const expected = parseValue(line, valueAt)
    if (expected === undefined) continue
    found.push({
      symbol: qualified.slice(qualified.lastIndexOf(".") + 1),
      args: args.value,
      expected: expected.value,
      text: line.slice(match.index, expected.end).replaceAll("`", "").trim()
    })
    callStart.lastIndex = expected.end
  }
  return found
}

/** Every example in the lines, in order, without duplicates. */
export const parseExamples = (lines: ReadonlyArray<string>): ReadonlyArray<Example> => {
  const seen = new Set<string>()
  return lines
    .flatMap((line) => line.split("\n"))
    .flatMap(examplesIn)
    .filter((example) => {
      const key = JSON.stringify([example.symbol, example.args, example.expected])
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
}

const normalise = (name: string) => name.replaceAll("_", "").toLowerCase()

/** The examples of `symbol`: exact name first; otherwise the same name up to case and underscores (`Add`, `add`). */
export const examplesFor = (examples: ReadonlyArray<Example>, symbol: string): ReadonlyArray<Example> => {
  const exact = examples.filter((example) => example.symbol === symbol)
  return exact.length > 0 ? exact : examples.filter((example) => normalise(example.symbol) === normalise(symbol))
}
