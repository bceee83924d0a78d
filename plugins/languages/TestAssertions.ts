/**
 * Finding the tests that assert nothing, from a file's syntax tree: each language says which
 * nodes are its tests and which are assertions (`<language>/Assertions.ts`); a test asserts when
 * its body holds an assertion, or calls a function of the same file whose body does (one level:
 * a helper that calls a helper that asserts is rare, and following it would cost a call graph),
 * or one the language imports from the project's test helpers (`importedHelpers`).
 */
import { Effect } from "effect"
import type * as WebTreeSitter from "web-tree-sitter"
import type { AssertionCheck, TestsFound } from "../../core/services/LanguageRegistry.ts"
import type { Grammar } from "../quality/tree-sitter/Grammar.ts"
import { withTree } from "../quality/tree-sitter/TreeSitter.ts"

type Node = WebTreeSitter.Node

/** A test as the language declares it. */
export interface FoundTest {
  readonly name: string
  /** Where the failure points: the test's name, or its call. */
  readonly node: Node
  /** Where its assertions would be: the function's body. */
  readonly body: Node
  /**
   * It asserts by its declaration (`#[should_panic]`, `@Test(expected = …)`) or is not run
   * (`#[ignore]`, `@Disabled`), which the test step already counts as not passing.
   */
  readonly exempt: boolean
  /** The name its body calls the test's context by (ava's and node:test's `t`, a Go suite's receiver). */
  readonly context?: string | undefined
}

export interface AssertionSyntax {
  readonly grammar: (path: string) => Grammar
  readonly forms: string
  readonly tests: (root: Node) => ReadonlyArray<FoundTest>
  /** Whether `node` is itself an assertion inside `test`. */
  readonly asserts: (node: Node, test: FoundTest) => boolean
  /** The functions of the file a test may call as a helper, by name. */
  readonly helpers: (root: Node) => ReadonlyArray<{ readonly name: string; readonly body: Node }>
  /** The name of the same-file function that `node` calls, when it is such a call. */
  readonly calls: (node: Node) => string | undefined
  /**
   * The names the file at `path` imports from its own test helpers (`./support/totals`): a call
   * through one counts as asserting. Its module is another file, so its body cannot be read here,
   * and a real test that asserts through a shared helper must not fail a good run.
   */
  readonly importedHelpers?: (root: Node, path: string) => ReadonlySet<string>
}

const chainTypes = new Set([
  "member_expression",
  "selector_expression",
  "attribute",
  "field_expression",
  "field_access",
  "scoped_identifier",
  "await_expression",
  "parenthesized_expression",
  "non_null_expression",
  "generic_function"
])

/**
 * The names along a call's callee, outermost last: `expect(p).rejects.toThrow` gives
 * `expect, rejects, toThrow`; `s.Require().Equal` gives `s, Require, Equal`.
 */
export const calleeNames = (node: Node | null): ReadonlyArray<string> => {
  if (node === null) return []
  switch (node.type) {
    case "call_expression":
    case "call":
      return calleeNames(node.childForFieldName("function"))
    case "method_invocation": {
      const name = node.childForFieldName("name")?.text
      return [...calleeNames(node.childForFieldName("object")), ...(name === undefined ? [] : [name])]
    }
    case "macro_invocation":
      return calleeNames(node.childForFieldName("macro"))
    default:
      if (chainTypes.has(node.type)) return node.namedChildren.flatMap((child) => calleeNames(child))
      return node.namedChildCount === 0 && /^[A-Za-z_$][\w$]*$/.test(node.text) ? [node.text] : []
  }
}

const none: TestsFound = { count: 0, unasserted: [] }

/** Whether `node` or one of its descendants satisfies `test`. */
export const some = (node: Node, test: (node: Node) => boolean): boolean => {
  const stack: Array<Node> = [node]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (test(next)) return true
    for (const child of next.namedChildren) stack.push(child)
  }
  return false
}

/** The tests of `root` (the file at `path`), and those that assert nothing in document order. */
export const testsIn = (root: Node, syntax: AssertionSyntax, path = ""): TestsFound => {
  const tests = syntax.tests(root)
  if (tests.length === 0) return none
  const imported = syntax.importedHelpers?.(root, path) ?? new Set<string>()
  const callsImported = (node: Node) =>
    imported.size > 0 && /^call/.test(node.type) && imported.has(calleeNames(node)[0] ?? "")
  const helpers = new Map<string, boolean>()
  for (const helper of syntax.helpers(root)) {
    const asserts = some(helper.body, (node) =>
      syntax.asserts(node, { name: helper.name, node: helper.body, body: helper.body, exempt: false })
    )
    helpers.set(helper.name, (helpers.get(helper.name) ?? false) || asserts)
  }
  const unasserted = tests
    .filter(
      (test) =>
        !test.exempt &&
        !some(test.body, (node) => {
          // A helper of the file is judged by its body: its name says nothing (`expectSum` may only log).
          const called = syntax.calls(node)
          const helper = called === undefined ? undefined : helpers.get(called)
          return helper ?? (callsImported(node) || syntax.asserts(node, test))
        })
    )
    .map((test) => ({ name: test.name, line: test.node.startPosition.row + 1 }))
  return { count: tests.length, unasserted }
}

/** A language's `AssertionCheck` from its syntax. */
export const assertionCheck = (syntax: AssertionSyntax, besideCode = false): AssertionCheck => ({
  forms: syntax.forms,
  besideCode,
  read: (source, path) =>
    withTree(source, syntax.grammar(path), path, (tree) =>
      // A file that does not parse is the compiler's to report; guessing at its tests could block a good run.
      Effect.sync(() => (tree.rootNode.hasError ? none : testsIn(tree.rootNode, syntax, path)))
    ).pipe(Effect.orElseSucceed(() => none))
})
