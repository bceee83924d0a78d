/**
 * The tests of a JavaScript or TypeScript file that assert nothing: `it`/`test` calls (vitest,
 * jest, mocha, ava, node:test, with `.only`, `.each`, `.concurrent`…) whose callback holds no
 * `expect…(…)`, `assert…(…)`, `should`, `throw`, no assertion of the test's context
 * (`t.is`, `t.deepEqual`, `t.assert.equal`) and no call of mocha's `done`. A test with no
 * callback is a placeholder, not a test. A call of a function imported from the project's own
 * test helpers (a relative module under a tests' folder or named as one) counts too.
 */
import * as posixPath from "node:path/posix"
import type * as WebTreeSitter from "web-tree-sitter"
import type { Grammar } from "../../quality/tree-sitter/Grammar.ts"
import { type AssertionSyntax, assertionCheck, calleeNames, type FoundTest } from "../TestAssertions.ts"

type Node = WebTreeSitter.Node

const testNames = new Set(["it", "test", "fit"])
/** What may follow `it`/`test` and still run the test; `skip` and `todo` do not run it. */
const modifiers = new Set(["only", "concurrent", "sequential", "each", "runIf", "skipIf", "serial", "for", "extend"])
/** Modifiers under which a test passes only when its body throws: the throw is its assertion. */
const expectingFailure = new Set(["fails", "failing"])

/** What ava's `t` and node:test's `t` (through `t.assert`) assert with. */
const contextAssertions = new Set([
  "assert",
  "is",
  "not",
  "deepEqual",
  "notDeepEqual",
  "like",
  "notLike",
  "throws",
  "throwsAsync",
  "notThrows",
  "notThrowsAsync",
  "regex",
  "notRegex",
  "true",
  "false",
  "truthy",
  "falsy",
  "pass",
  "fail",
  "snapshot",
  "plan",
  "equal",
  "notEqual",
  "ok",
  "notOk",
  "same",
  "notSame",
  "match",
  "notMatch",
  "strictEqual",
  "notStrictEqual",
  "deepStrictEqual",
  "notDeepStrictEqual",
  "rejects",
  "doesNotReject",
  "doesNotThrow",
  "ifError",
  "expect",
  "error"
])

const isFunction = (node: Node) =>
  node.type === "arrow_function" || node.type === "function_expression" || node.type === "function"

const nameOf = (node: Node | undefined): string => {
  if (node === undefined) return "(unnamed)"
  const fragment = node.namedChildren.find((child) => child.type === "string_fragment")
  return fragment?.text ?? node.text
}

const firstParameter = (callback: Node): string | undefined => {
  const parameters = callback.childForFieldName("parameters") ?? callback.childForFieldName("parameter")
  if (parameters === null) return undefined
  if (parameters.type === "identifier") return parameters.text
  const first = parameters.namedChildren[0]
  const identifier = first?.type === "identifier" ? first : first?.childForFieldName("pattern")
  return identifier?.type === "identifier" ? identifier.text : undefined
}

const tests = (root: Node): ReadonlyArray<FoundTest> =>
  root.descendantsOfType("call_expression").flatMap((call): ReadonlyArray<FoundTest> => {
    const names = calleeNames(call)
    const [head, ...rest] = names
    if (head === undefined || !testNames.has(head)) return []
    if (!rest.every((name) => modifiers.has(name) || expectingFailure.has(name))) return []
    const args = call.childForFieldName("arguments")
    if (args === null || args.type !== "arguments") return []
    const callback = args.namedChildren.findLast(isFunction)
    if (callback === undefined) return []
    return [
      {
        name: nameOf(args.namedChildren[0]),
        node: call,
        body: callback,
        exempt: rest.some((name) => expectingFailure.has(name)),
        context: firstParameter(callback)
      }
    ]
  })

const asserts = (node: Node, test: FoundTest): boolean => {
  if (node.type === "throw_statement") return true
  // `x.should.equal(1)`: chai's should reads a property, not a call.
  if (node.type === "member_expression" && node.childForFieldName("property")?.text === "should") return true
  if (node.type !== "call_expression") return false
  // Judged by the head of the callee: `expected.toFixed()` asserts nothing, though a name in it
  // starts like `expect`; and `expect(x)` with no matcher after it checks nothing.
  const names = calleeNames(node)
  const [head, second] = names
  if (head === undefined) return false
  if (/^assert/.test(head) || head === "should") return true
  if (head === "expect" || head === "expectTypeOf") return second !== undefined
  // Through a namespace: `chai.expect(x).to.equal(1)`, `chai.assert.equal(…)`, `assert.strict.equal(…)`.
  if (second !== undefined && (/^assert/.test(second) || second === "should")) return true
  if (second === "expect") return names.length > 2
  if (test.context === undefined || head !== test.context) return false
  // mocha's `done(err)`: the test fails when the callback never comes or brings an error.
  return second === undefined ? names.length === 1 : contextAssertions.has(second)
}

/** Functions declared in the file, by name: `function check() {}` and `const check = () => {}`. */
const helpers = (root: Node) => [
  ...root.descendantsOfType("function_declaration").flatMap((fn) => {
    const name = fn.childForFieldName("name")
    const body = fn.childForFieldName("body")
    return name === null || body === null ? [] : [{ name: name.text, body }]
  }),
  ...root.descendantsOfType("variable_declarator").flatMap((declarator) => {
    const name = declarator.childForFieldName("name")
    const value = declarator.childForFieldName("value")
    return name?.type === "identifier" && value !== null && isFunction(value) ? [{ name: name.text, body: value }] : []
  })
]

const calls = (node: Node): string | undefined => {
  if (node.type !== "call_expression") return undefined
  const callee = node.childForFieldName("function")
  return callee?.type === "identifier" ? callee.text : undefined
}

/** A folder of tests, or of what only tests use. */
const testFolder =
  /^(?:tests?|__tests__|specs?|e2e|support|helpers?|fixtures?|testing|test[-_]?utils?|test[-_]?helpers?)$/i
/** A module named as a test helper: `./test-utils`, `./assertions`, `./expectTotals`, `./cart.fixture`. */
const helperModule =
  /(?:^|[-_.])(?:tests?|specs?|helpers?|support|fixtures?|asserts?|assertions?|expect\w*|matchers?|should|testing|test[-_]?utils?)(?:[-_.]|$)|^(?:assert|expect|should|check|verify)[A-Z]/i

/**
 * Whether `specifier`, imported by the test file at `path`, is one of the project's test helpers:
 * a relative module under a tests' folder or named as a helper. The code under test
 * (`../src/cart`) is not, so a test that only calls it still asserts nothing.
 */
const isTestHelper = (path: string, specifier: string): boolean => {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return false
  const resolved = posixPath.normalize(posixPath.join(posixPath.dirname(path.replaceAll("\\", "/")), specifier))
  const parts = resolved.split("/").filter((part) => part !== "" && part !== "." && part !== "..")
  const file = (parts.pop() ?? "").replace(/\.[cm]?[jt]sx?$/i, "")
  return parts.some((part) => testFolder.test(part)) || helperModule.test(file)
}

const stringText = (node: Node | null | undefined): string | undefined =>
  node?.type === "string"
    ? (node.namedChildren.find((child) => child.type === "string_fragment")?.text ?? "")
    : undefined

/** The names a destructuring or a plain binding of `require(…)` or an import clause binds. */
const boundNames = (node: Node | null): ReadonlyArray<string> => {
  if (node === null) return []
  switch (node.type) {
    case "identifier":
    case "shorthand_property_identifier_pattern":
      return [node.text]
    case "import_specifier":
      return boundNames(node.childForFieldName("alias") ?? node.childForFieldName("name"))
    case "pair_pattern":
      return boundNames(node.childForFieldName("value"))
    default:
      return node.namedChildren.flatMap((child) => boundNames(child))
  }
}

/** `import { expectTotals } from "./support"`, `import * as check from "../helpers"`, `const { x } = require("./support")`. */
const importedHelpers = (root: Node, path: string): ReadonlySet<string> =>
  new Set([
    ...root.descendantsOfType("import_statement").flatMap((statement) => {
      const source = stringText(statement.childForFieldName("source"))
      const clause = statement.namedChildren.find((child) => child.type === "import_clause")
      return source !== undefined && clause !== undefined && isTestHelper(path, source) ? boundNames(clause) : []
    }),
    ...root.descendantsOfType("variable_declarator").flatMap((declarator) => {
      const value = declarator.childForFieldName("value")
      if (value?.type !== "call_expression" || value.childForFieldName("function")?.text !== "require") return []
      const source = stringText(value.childForFieldName("arguments")?.namedChildren[0])
      return source !== undefined && isTestHelper(path, source) ? boundNames(declarator.childForFieldName("name")) : []
    })
  ])

const syntax = (grammar: (path: string) => Grammar): AssertionSyntax => ({
  grammar,
  forms: "expect(…), assert(…), or the test context's t.is/t.deepEqual",
  tests,
  asserts,
  helpers,
  calls,
  importedHelpers
})

export const javaScriptAssertions = assertionCheck(syntax(() => "javascript"))

// JSX parses only in the tsx grammar, and `<T>x` casts only in typescript's.
export const typeScriptAssertions = assertionCheck(
  syntax((path) => (path.toLowerCase().endsWith(".tsx") ? "tsx" : "typescript"))
)
