/**
 * The tests of a Go file that assert nothing: `Test…` and `Fuzz…` functions, and the `Test…`
 * methods of a testify suite, whose body (closures passed to `t.Run` included) holds no
 * `Error`/`Errorf`/`Fatal`/`Fatalf`/`Fail`/`FailNow` call on any `testing.T`, no testify
 * `assert.…`/`require.…` (or a suite's `s.Equal`, `s.Require()…`), no quicktest `c.Assert`/
 * `c.Check`, no `panic`, and does not hand its `t` to a function of another file (`suite.Run`).
 * A test that calls `t.Skip` is the runner's to count as skipped.
 */
import type * as WebTreeSitter from "web-tree-sitter"
import { type AssertionSyntax, assertionCheck, calleeNames, type FoundTest } from "../TestAssertions.ts"

type Node = WebTreeSitter.Node

const failing = new Set(["Error", "Errorf", "Fatal", "Fatalf", "Fail", "FailNow", "Skip", "Skipf", "SkipNow"])
// `cmp.Diff` only computes: the `t.Errorf` beside it asserts.
const packages = new Set(["assert", "require", "is", "qt"])
const wrappers = new Set(["Assert", "Require", "Check"])
/** testify's assertions, as a suite calls them on its receiver. */
const suiteAssertions = new Set([
  "Equal",
  "NotEqual",
  "EqualValues",
  "Exactly",
  "True",
  "False",
  "Nil",
  "NotNil",
  "NoError",
  "ErrorIs",
  "ErrorAs",
  "ErrorContains",
  "EqualError",
  "Len",
  "Empty",
  "NotEmpty",
  "Zero",
  "NotZero",
  "Contains",
  "NotContains",
  "ElementsMatch",
  "Subset",
  "Panics",
  "NotPanics",
  "PanicsWithValue",
  "Greater",
  "GreaterOrEqual",
  "Less",
  "LessOrEqual",
  "InDelta",
  "InEpsilon",
  "Same",
  "IsType",
  "Implements",
  "JSONEq",
  "Regexp",
  "Eventually",
  "WithinDuration"
])

const receiverName = (method: Node): string | undefined =>
  method.childForFieldName("receiver")?.namedChildren[0]?.childForFieldName("name")?.text

/** The `t` of `func TestX(t *testing.T)`. */
const firstParameter = (fn: Node): string | undefined =>
  fn.childForFieldName("parameters")?.namedChildren[0]?.childForFieldName("name")?.text

const tests = (root: Node): ReadonlyArray<FoundTest> =>
  root.descendantsOfType(["function_declaration", "method_declaration"]).flatMap((fn): ReadonlyArray<FoundTest> => {
    const name = fn.childForFieldName("name")?.text ?? ""
    const body = fn.childForFieldName("body")
    // `Testable` is no test: go test wants `Test` then no lower-case letter.
    // `TestMain(m *testing.M)` sets the package's tests up; it is none of them.
    if (body === null || name === "TestMain" || !/^(Test|Fuzz)([^a-z]|$)/.test(name)) return []
    if (fn.type === "method_declaration" && !name.startsWith("Test")) return []
    return [
      {
        name,
        node: fn,
        body,
        exempt: false,
        context: fn.type === "method_declaration" ? receiverName(fn) : firstParameter(fn)
      }
    ]
  })

const asserts = (node: Node, test: FoundTest): boolean => {
  if (node.type !== "call_expression") return false
  const names = calleeNames(node)
  const [head] = names
  const last = names.at(-1) ?? ""
  // `t` handed to a function of another file (`suite.Run(t, …)`, a shared `checkSum(t, …)`) is for it to fail.
  const args = node.childForFieldName("arguments")?.namedChildren ?? []
  if (test.context !== undefined && args.some((arg) => arg.type === "identifier" && arg.text === test.context)) {
    return true
  }
  if (names.length === 1) return last === "panic"
  // `err.Error()` reads a message; `t.Error("…")` fails the test.
  const readsMessage = last === "Error" && node.childForFieldName("arguments")?.namedChildCount === 0
  return (
    (failing.has(last) && !readsMessage) ||
    (head !== undefined && packages.has(head)) ||
    names.some((name) => wrappers.has(name)) ||
    (test.context !== undefined && head === test.context && suiteAssertions.has(last))
  )
}

const helpers = (root: Node) =>
  root.descendantsOfType("function_declaration").flatMap((fn) => {
    const name = fn.childForFieldName("name")
    const body = fn.childForFieldName("body")
    return name === null || body === null ? [] : [{ name: name.text, body }]
  })

const calls = (node: Node): string | undefined => {
  if (node.type !== "call_expression") return undefined
  const callee = node.childForFieldName("function")
  return callee?.type === "identifier" ? callee.text : undefined
}

const syntax: AssertionSyntax = {
  grammar: () => "go",
  forms: "t.Errorf/t.Fatalf when a result is wrong, or testify's assert/require",
  tests,
  asserts,
  helpers,
  calls
}

export const goAssertions = assertionCheck(syntax)
