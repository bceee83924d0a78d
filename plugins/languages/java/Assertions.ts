/**
 * The tests of a Java file that assert nothing: methods under `@Test`, `@ParameterizedTest`,
 * `@RepeatedTest` (JUnit 4 and 5) or jqwik's `@Property`, whose body holds no call named
 * `assert…` (JUnit, AssertJ, Hamcrest, Truth), `fail`, `verify…` (Mockito), `then` (AssertJ's
 * BDD form), `expect` (JUnit 4's ExpectedException), and no `throw`. `@Test(expected = …)`
 * asserts by its declaration; `@Disabled` and `@Ignore` are not run.
 */
import type * as WebTreeSitter from "web-tree-sitter"
import { type AssertionSyntax, assertionCheck, calleeNames, type FoundTest } from "../TestAssertions.ts"

type Node = WebTreeSitter.Node

const testAnnotations = new Set(["Test", "ParameterizedTest", "RepeatedTest", "Property"])

const annotationsOf = (method: Node): ReadonlyArray<Node> =>
  method.namedChildren
    .filter((child) => child.type === "modifiers")
    .flatMap((modifiers) =>
      modifiers.namedChildren.filter((child) => child.type === "annotation" || child.type === "marker_annotation")
    )

const annotationName = (annotation: Node): string => calleeNames(annotation.childForFieldName("name")).at(-1) ?? ""

const tests = (root: Node): ReadonlyArray<FoundTest> =>
  root.descendantsOfType("method_declaration").flatMap((method): ReadonlyArray<FoundTest> => {
    const annotations = annotationsOf(method)
    const body = method.childForFieldName("body")
    if (body === null || !annotations.some((a) => testAnnotations.has(annotationName(a)))) return []
    const expected = annotations.some(
      (a) =>
        annotationName(a) === "Test" &&
        a.descendantsOfType("element_value_pair").some((pair) => pair.childForFieldName("key")?.text === "expected")
    )
    const disabled = annotations.some((a) => ["Disabled", "Ignore"].includes(annotationName(a)))
    const name = method.childForFieldName("name")
    return [
      {
        name: name?.text ?? "(unnamed)",
        node: name ?? method,
        body,
        exempt: expected || disabled
      }
    ]
  })

const asserts = (node: Node): boolean => {
  if (node.type === "throw_statement") return true
  if (node.type !== "method_invocation") return false
  // The method called, not any name along its chain: `verifyingKey.sign()` asserts nothing. A
  // matcher after `assertThat(x)` or `verify(m)` is its own call, whose head is judged on its own.
  const name = node.childForFieldName("name")?.text ?? ""
  if (/^assert/.test(name) || name === "expect" || name === "expectMessage") return true
  if (!/^verify/.test(name) && name !== "fail" && name !== "then") return false
  // Static (imported, or qualified by its class: `Mockito.verify`), not a method of some object.
  const object = node.childForFieldName("object")
  return object === null || object.type === "field_access" || /^[A-Z]/.test(object.text)
}

const helpers = (root: Node) =>
  root.descendantsOfType("method_declaration").flatMap((method) => {
    const name = method.childForFieldName("name")
    const body = method.childForFieldName("body")
    return name === null || body === null ? [] : [{ name: name.text, body }]
  })

/** `check(…)` or `this.check(…)`. */
const calls = (node: Node): string | undefined => {
  if (node.type !== "method_invocation") return undefined
  const object = node.childForFieldName("object")
  return object === null || object.type === "this" ? node.childForFieldName("name")?.text : undefined
}

const syntax: AssertionSyntax = {
  grammar: () => "java",
  forms: "assertEquals(…), assertThat(…), assertThrows(…), or Mockito's verify(…)",
  tests,
  asserts,
  helpers,
  calls
}

export const javaAssertions = assertionCheck(syntax)
