/**
 * How Python's tests are written: pytest functions `test_<name>_<kind>`, Python literals, and a
 * signature check on the parameter names `inspect.signature` lists.
 */
import type { TestCaseWriter, Value } from "../../../core/domain/TestCase.ts"
import { isList, isRecord, snakeCase } from "../TestCaseSyntax.ts"

/** A Python literal: `True`, `None`, `{"a": [1, 2]}`. */
export const pythonLiteral = (value: Value): string => {
  if (value === null) return "None"
  if (value === true) return "True"
  if (value === false) return "False"
  if (isList(value)) return `[${value.map(pythonLiteral).join(", ")}]`
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}: ${pythonLiteral(item)}`)
      .join(", ")}}`
  }
  return JSON.stringify(value)
}

/** The test-case writer of Python. */
export const pythonTestCases: TestCaseWriter = {
  example: (symbol, example) => ({
    invocation: `${symbol.name}(${example.args.map(pythonLiteral).join(", ")})`,
    expected: pythonLiteral(example.expected),
    label: example.text,
    fallible: false,
    message: "",
    failure: ""
  }),
  signature: (symbol) => {
    const receiver = symbol.receiver !== undefined && !symbol.isStatic ? [symbol.receiver] : []
    return {
      target: symbol.owner === undefined ? symbol.name : `${symbol.owner}.${symbol.name}`,
      arity: symbol.params.length,
      names: pythonLiteral([...receiver, ...symbol.params.map((p) => p.name)]),
      pointer: ""
    }
  },
  testName: (symbol, kind) => `test_${snakeCase(symbol)}_${kind}`,
  classCheck: "value"
}
