/**
 * The tests of a Rust file that assert nothing: functions under `#[test]` (or `#[tokio::test]`,
 * `#[rstest]`, `#[test_case(…)]`…) whose body holds no `assert…!`/`debug_assert…!`/
 * `prop_assert…!`/`panic!`/`unreachable!`, no `?`, and no `.unwrap()`/`.expect(…)` (or their
 * `_err` forms). The last two count: they fail the test when the code under test returns an
 * error, which is what a test of a fallible call checks, and idiomatic Rust tests say it so.
 * `#[should_panic]` asserts by its declaration; `#[ignore]` is not run.
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

const tests = (root: Node): ReadonlyArray<FoundTest> =>
  root.descendantsOfType("function_item").flatMap((fn): ReadonlyArray<FoundTest> => {
    const attributes = attributesOf(fn)
    const body = fn.childForFieldName("body")
    if (body === null || !attributes.some((name) => testAttributes.has(name))) return []
    const name = fn.childForFieldName("name")
    return [
      {
        name: name?.text ?? "(unnamed)",
        node: name ?? fn,
        body,
        exempt: attributes.includes("should_panic") || attributes.includes("ignore")
      }
    ]
  })

const asserts = (node: Node): boolean => {
  if (node.type === "try_expression") return true
  if (node.type === "macro_invocation") {
    const last = calleeNames(node).at(-1) ?? ""
    return /^(assert|debug_assert|prop_assert)/.test(last) || last === "panic" || last === "unreachable"
  }
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

/** `check(…)`, `self::check(…)`, `super::check(…)`. */
const calls = (node: Node): string | undefined => {
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
