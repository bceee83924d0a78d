/**
 * How the JavaScript family's tests are written (TypeScript shares it): examples as
 * `expect(call).toEqual(value)` data with Biome-style literals, `await` for a function declared to
 * return a Promise, and a signature check on the function's runtime `length`.
 */
import type { SymbolParameter } from "../../../core/domain/SourceSymbol.ts"
import type { TestCaseWriter, Value } from "../../../core/domain/TestCase.ts"
import { isList, isRecord } from "../TestCaseSyntax.ts"

/** A JavaScript/TypeScript literal in Biome's style: `{ a: 1, "b-c": [2, 3] }`. */
export const jsLiteral = (value: Value): string => {
  if (isList(value)) return `[${value.map(jsLiteral).join(", ")}]`
  if (isRecord(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${jsLiteral(item)}`
    )
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`
  }
  return JSON.stringify(value)
}

/** A JavaScript function's `length`: the parameters before the first default or rest one. */
export const javaScriptArity = (params: ReadonlyArray<SymbolParameter>): number => {
  const index = params.findIndex((p) => p.hasDefault || p.rest)
  return index < 0 ? params.length : index
}

/** The test-case writer of the JavaScript family. */
export const javaScriptTestCases: TestCaseWriter = {
  example: (symbol, example) => {
    const call = `${symbol.name}(${example.args.map(jsLiteral).join(", ")})`
    const awaited = symbol.returns?.startsWith("Promise") === true
    return {
      invocation: awaited ? `await ${call}` : call,
      expected: jsLiteral(example.expected),
      label: example.text,
      fallible: false,
      message: JSON.stringify(example.text),
      failure: ""
    }
  },
  signature: (symbol) => ({
    target:
      symbol.kind === "method" && symbol.owner !== undefined
        ? symbol.isStatic
          ? `${symbol.owner}.${symbol.name}`
          : `${symbol.owner}.prototype.${symbol.name}`
        : symbol.name,
    arity: javaScriptArity(symbol.params),
    names: "",
    pointer: ""
  }),
  testName: (symbol) => symbol,
  classCheck: "value"
}
