/**
 * The tests of a JavaScript or TypeScript file that assert nothing: `it`/`test` calls (vitest,
 * jest, mocha, ava, node:test, with `.only`, `.each`, `.concurrent`…) whose callback holds no
 * `expect…(…)`, `assert…(…)`, `should`, `throw`, no assertion of the test's context
 * (`t.is`, `t.deepEqual`, `t.assert.equal`) and no call of mocha's `done`. A test with no
 * callback is a placeholder, not a test. A call of a function imported from a relative module
 * of the workspace counts when that function's body asserts (`TestAssertions.ts`).
 */
import * as posixPath from "node:path/posix"
import type * as WebTreeSitter from "web-tree-sitter"
import type { Grammar } from "../../quality/tree-sitter/Grammar.ts"
import {
  type AssertionSyntax,
  assertionCheck,
  calleeNames,
  type FoundTest,
  type ImportedName
} from "../TestAssertions.ts"

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

/**
 * Functions declared in the file, by name: `function check() {}`, `const check = () => {}`,
 * `exports.check = function () {}`, `{ check: () => {} }`, `{ check() {} }`, and
 * `export default function () {}` as `default`.
 */
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
  }),
  ...root.descendantsOfType("assignment_expression").flatMap((assignment) => {
    const left = assignment.childForFieldName("left")
    const right = assignment.childForFieldName("right")
    const name = left?.type === "member_expression" ? left.childForFieldName("property")?.text : undefined
    return name !== undefined && right !== null && isFunction(right) ? [{ name, body: right }] : []
  }),
  ...root.descendantsOfType(["pair", "method_definition"]).flatMap((member) => {
    const name = (member.childForFieldName("key") ?? member.childForFieldName("name"))?.text
    const body = member.type === "pair" ? member.childForFieldName("value") : member.childForFieldName("body")
    return name !== undefined && body !== null && (member.type !== "pair" || isFunction(body)) ? [{ name, body }] : []
  }),
  ...root.descendantsOfType("export_statement").flatMap((statement) => {
    if (!statement.children.some((child) => child.type === "default")) return []
    const value = statement.childForFieldName("declaration") ?? statement.childForFieldName("value")
    return value !== null && (isFunction(value) || value.type === "function_declaration")
      ? [{ name: "default", body: value }]
      : []
  })
]

const calls = (node: Node): string | undefined => {
  if (node.type !== "call_expression") return undefined
  const callee = node.childForFieldName("function")
  return callee?.type === "identifier" ? callee.text : undefined
}

const extensions = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"]

/**
 * The workspace paths a relative `specifier` imported by the file at `path` may name, as
 * TypeScript and Node look: as written, `./x.js` as its `.ts` source, `./x` with an extension or
 * as `./x/index.*`. None for a package, or for a module outside the workspace.
 */
const modulesOf = (path: string, specifier: string): ReadonlyArray<string> => {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return []
  const resolved = posixPath.normalize(posixPath.join(posixPath.dirname(path.replaceAll("\\", "/")), specifier))
  if (resolved === ".." || resolved.startsWith("../") || posixPath.isAbsolute(resolved)) return []
  const written = /\.[cm]?[jt]sx?$/i.exec(resolved)?.[0]
  if (written !== undefined) {
    const stem = resolved.slice(0, -written.length)
    const sources = /^\.[cm]?js/i.test(written) ? [".ts", ".tsx", ".mts", ".cts"].map((ext) => stem + ext) : []
    return [resolved, ...sources]
  }
  return [...extensions.map((ext) => resolved + ext), ...extensions.map((ext) => `${resolved}/index${ext}`)]
}

const stringText = (node: Node | null | undefined): string | undefined =>
  node?.type === "string"
    ? (node.namedChildren.find((child) => child.type === "string_fragment")?.text ?? "")
    : undefined

/** The names an import clause binds, with the name each is exported as: `* as check`, `x as y`, a default. */
const clauseNames = (clause: Node): ReadonlyArray<{ local: string; exported: string }> =>
  clause.namedChildren.flatMap((child) => {
    switch (child.type) {
      case "identifier":
        return [{ local: child.text, exported: "default" }]
      case "namespace_import": {
        const name = child.namedChildren.find((part) => part.type === "identifier")
        return name === undefined ? [] : [{ local: name.text, exported: "*" }]
      }
      case "named_imports":
        return child.namedChildren.flatMap((specifier) => {
          const name = specifier.childForFieldName("name")
          const alias = specifier.childForFieldName("alias") ?? name
          return name === null || alias === null ? [] : [{ local: alias.text, exported: name.text }]
        })
      default:
        return []
    }
  })

/** The names a `require(…)` binds: `const support = require(…)` is the whole module, `{ a: b }` its `a`. */
const requiredNames = (pattern: Node | null): ReadonlyArray<{ local: string; exported: string }> => {
  if (pattern === null) return []
  if (pattern.type === "identifier") return [{ local: pattern.text, exported: "*" }]
  if (pattern.type !== "object_pattern") return []
  return pattern.namedChildren.flatMap((property) => {
    if (property.type === "shorthand_property_identifier_pattern")
      return [{ local: property.text, exported: property.text }]
    const key = property.childForFieldName("key")
    const value = property.childForFieldName("value")
    return property.type === "pair_pattern" && key !== null && value?.type === "identifier"
      ? [{ local: value.text, exported: key.text }]
      : []
  })
}

/** `import { expectTotals } from "./support"`, `import * as check from "../helpers"`, `const { x } = require("./support")`. */
const imports = (root: Node, path: string): ReadonlyArray<ImportedName> => [
  ...root.descendantsOfType("import_statement").flatMap((statement) => {
    const source = stringText(statement.childForFieldName("source"))
    const clause = statement.namedChildren.find((child) => child.type === "import_clause")
    const modules = source === undefined ? [] : modulesOf(path, source)
    return clause === undefined || modules.length === 0 ? [] : clauseNames(clause).map((name) => ({ ...name, modules }))
  }),
  ...root.descendantsOfType("variable_declarator").flatMap((declarator) => {
    const value = declarator.childForFieldName("value")
    if (value?.type !== "call_expression" || value.childForFieldName("function")?.text !== "require") return []
    const source = stringText(value.childForFieldName("arguments")?.namedChildren[0])
    const modules = source === undefined ? [] : modulesOf(path, source)
    return modules.length === 0
      ? []
      : requiredNames(declarator.childForFieldName("name")).map((name) => ({ ...name, modules }))
  })
]

const syntax = (grammar: (path: string) => Grammar): AssertionSyntax => ({
  grammar,
  forms: "expect(…), assert(…), or the test context's t.is/t.deepEqual",
  tests,
  asserts,
  helpers,
  calls,
  imports
})

export const javaScriptAssertions = assertionCheck(syntax(() => "javascript"))

// JSX parses only in the tsx grammar, and `<T>x` casts only in typescript's.
export const typeScriptAssertions = assertionCheck(
  syntax((path) => (path.toLowerCase().endsWith(".tsx") ? "tsx" : "typescript"))
)
