/**
 * The tests of a Rust file that assert nothing: functions under `#[test]` (or `#[tokio::test]`,
 * `#[rstest]`, `#[test_case(…)]`…) whose body holds no `assert…!`/`debug_assert…!`/
 * `prop_assert…!`/`panic!`/`unreachable!`, no `?`, and no `.unwrap()`/`.expect(…)` (or their
 * `_err` forms). The last two count: they fail the test when the code under test returns an
 * error, which is what a test of a fallible call checks, and idiomatic Rust tests say it so.
 * `#[should_panic]` asserts by its declaration; `#[ignore]` is not run. Tests inside `proptest!`
 * are read from the macro's tokens.
 */
import type * as WebTreeSitter from "web-tree-sitter"
import { type AssertionSyntax, assertionCheck, calleeNames, type FoundTest } from "../TestAssertions.ts"

type Node = WebTreeSitter.Node

const testAttributes = new Set(["test", "rstest", "test_case", "wasm_bindgen_test", "quickcheck"])
const panicking = new Set(["unwrap", "expect", "unwrap_err", "expect_err"])

/** The names of the attributes written above an item (comments between them skipped). */
const attributesOf = (item: Node): ReadonlyArray<string> => {
  const names: Array<string> = []
  for (let sibling = item.previousNamedSibling; sibling !== null; sibling = sibling.previousNamedSibling) {
    if (sibling.type === "line_comment" || sibling.type === "block_comment") continue
    if (sibling.type !== "attribute_item") break
    const attribute = sibling.namedChildren[0]
    const path = attribute?.namedChildren[0]
    const last = path === undefined ? undefined : calleeNames(path).at(-1)
    if (last !== undefined) names.push(last)
  }
  return names
}

/** A test of its attributes: what runs it, and what exempts it. */
const isTest = (attributes: ReadonlyArray<string>) => attributes.some((name) => testAttributes.has(name))
const isExempt = (attributes: ReadonlyArray<string>) =>
  attributes.includes("should_panic") || attributes.includes("ignore")

/**
 * `proptest! { #[test] fn adds(a in 0..10) { prop_assert_eq!(…) } }`: the grammar leaves a macro's
 * input as tokens, so its tests are read from them: `#[…]` attributes, `fn`, a name, and the first
 * `{…}` after it as the body.
 */
const macroTests = (root: Node): ReadonlyArray<FoundTest> =>
  root.descendantsOfType("macro_invocation").flatMap((macro): ReadonlyArray<FoundTest> => {
    if (calleeNames(macro).at(-1) !== "proptest") return []
    const tokens = macro.namedChildren.find((child) => child.type === "token_tree")?.children ?? []
    const found: Array<FoundTest> = []
    let attributes: Array<string> = []
    for (const [index, token] of tokens.entries()) {
      const next = tokens[index + 1]
      if (token.type === "#" && next?.type === "token_tree" && next.text.startsWith("[")) {
        const name = next.namedChildren.find((child) => child.type === "identifier")?.text
        if (name !== undefined) attributes.push(name)
      } else if (token.type === "fn") {
        const name = next?.type === "identifier" ? next : undefined
        const body = tokens.slice(index + 2).find((later) => later.type === "token_tree" && later.text.startsWith("{"))
        if (name !== undefined && body !== undefined && isTest(attributes))
          found.push({ name: name.text, node: name, body, exempt: isExempt(attributes) })
        attributes = []
      }
    }
    return found
  })

const tests = (root: Node): ReadonlyArray<FoundTest> => [
  ...root.descendantsOfType("function_item").flatMap((fn): ReadonlyArray<FoundTest> => {
    const attributes = attributesOf(fn)
    const body = fn.childForFieldName("body")
    if (body === null || !isTest(attributes)) return []
    const name = fn.childForFieldName("name")
    return [{ name: name?.text ?? "(unnamed)", node: name ?? fn, body, exempt: isExempt(attributes) }]
  }),
  ...macroTests(root)
]

/** In a macro's tokens: `name!` and `.name`, as the grammar leaves them. */
const tokenMacro = (node: Node) =>
  node.type === "identifier" && node.parent?.type === "token_tree" && node.nextSibling?.type === "!"
const tokenMethod = (node: Node) =>
  node.type === "identifier" && node.parent?.type === "token_tree" && node.previousSibling?.type === "."
const assertingMacro = (name: string) =>
  /^(assert|debug_assert|prop_assert)/.test(name) || name === "panic" || name === "unreachable"

const asserts = (node: Node): boolean => {
  if (node.type === "try_expression") return true
  if (node.type === "macro_invocation") return assertingMacro(calleeNames(node).at(-1) ?? "")
  // Inside `proptest!`: `prop_assert!(…)`, `.unwrap()`, `x?`.
  if (tokenMacro(node)) return assertingMacro(node.text)
  if (tokenMethod(node)) return panicking.has(node.text)
  if (node.type === "token_tree" && node.children.some((child) => child.type === "?")) return true
  if (node.type !== "call_expression") return false
  const callee = node.childForFieldName("function")
  return callee?.type === "field_expression" && panicking.has(callee.childForFieldName("field")?.text ?? "")
}

const helpers = (root: Node) =>
  root.descendantsOfType("function_item").flatMap((fn) => {
    const name = fn.childForFieldName("name")
    const body = fn.childForFieldName("body")
    return name === null || body === null ? [] : [{ name: name.text, body }]
  })

/** `check(…)`, `self::check(…)`, `super::check(…)`; in a macro's tokens, `check(…)`. */
const calls = (node: Node): string | undefined => {
  if (node.type === "identifier" && node.parent?.type === "token_tree") {
    const next = node.nextSibling
    const previous = node.previousSibling
    const called = next?.type === "token_tree" && next.text.startsWith("(")
    return called && previous?.type !== "." && previous?.type !== "fn" ? node.text : undefined
  }
  if (node.type !== "call_expression") return undefined
  const callee = node.childForFieldName("function")
  if (callee?.type === "identifier") return callee.text
  return callee?.type === "scoped_identifier" ? callee.childForFieldName("name")?.text : undefined
}

const syntax: AssertionSyntax = {
  grammar: () => "rust",
  forms: "assert_eq!(…), assert!(…), or #[should_panic]",
  tests,
  asserts,
  helpers,
  calls
}

export const rustAssertions = assertionCheck(syntax, true)
