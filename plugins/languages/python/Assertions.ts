/**
 * The tests of a Python file that assert nothing: `test…` functions of the module or of a class
 * (pytest, unittest) whose body holds no `assert`, `raise`, `pytest.raises`/`warns`/`fail`,
 * `self.assert…`/`self.fail`, mock `assert_called…` (any call named `assert…`), and no call of a
 * `self` method defined elsewhere (a base class's helper). A test marked to skip is not run,
 * which the test step already counts.
 */
import type * as WebTreeSitter from "web-tree-sitter"
import { type AssertionSyntax, assertionCheck, calleeNames, type FoundTest } from "../TestAssertions.ts"

type Node = WebTreeSitter.Node

/** Its decorators' text, when it has any. */
const decorators = (definition: Node): ReadonlyArray<string> =>
  definition.parent?.type === "decorated_definition"
    ? definition.parent.namedChildren.filter((child) => child.type === "decorator").map((child) => child.text)
    : []

/** The module or class body that holds the definition, skipping its decorators. */
const scopeOf = (definition: Node): Node | null => {
  const holder = definition.parent?.type === "decorated_definition" ? definition.parent.parent : definition.parent
  return holder?.type === "block" ? (holder.parent?.type === "class_definition" ? holder.parent : null) : holder
}

const tests = (root: Node): ReadonlyArray<FoundTest> =>
  root.descendantsOfType("function_definition").flatMap((definition): ReadonlyArray<FoundTest> => {
    const name = definition.childForFieldName("name")?.text ?? ""
    const body = definition.childForFieldName("body")
    const scope = scopeOf(definition)
    if (!name.startsWith("test") || body === null || scope === null) return []
    if (scope.type !== "module" && scope.type !== "class_definition") return []
    return [
      {
        name,
        node: definition,
        body,
        exempt: decorators(definition).some((text) => /\b(skip|skipIf|skipUnless|xfail)\b/.test(text))
      }
    ]
  })

/** unittest.TestCase's own methods that assert nothing: a call of one is no base class's helper. */
const testCaseMethods = new Set([
  "subTest",
  "addCleanup",
  "addClassCleanup",
  "addAsyncCleanup",
  "enterContext",
  "enterClassContext",
  "enterAsyncContext",
  "doCleanups",
  "doClassCleanups",
  "id",
  "shortDescription",
  "countTestCases",
  "defaultTestResult",
  "addTypeEqualityFunc",
  "run",
  "debug",
  "setUp",
  "tearDown",
  "setUpClass",
  "tearDownClass",
  "asyncSetUp",
  "asyncTearDown"
])

const asserts = (node: Node): boolean => {
  if (node.type === "assert_statement" || node.type === "raise_statement") return true
  if (node.type !== "call") return false
  const names = calleeNames(node)
  const last = names.at(-1) ?? ""
  return (
    /^assert/i.test(last) ||
    // `self.check_total(…)` not defined in this file is a base class's helper: the base asserts.
    (names.length === 2 && (names[0] === "self" || names[0] === "cls") && !testCaseMethods.has(last)) ||
    // `self.fail`, `pytest.fail`; a skip at run time is the runner's to count.
    ((last === "fail" || last === "skip" || last === "skipTest") && names.length > 1) ||
    names.some((name) => name === "raises" || name === "warns" || name === "deprecated_call")
  )
}

/** The file's functions and methods, by name. */
const helpers = (root: Node) =>
  root.descendantsOfType("function_definition").flatMap((definition) => {
    const name = definition.childForFieldName("name")
    const body = definition.childForFieldName("body")
    return name === null || body === null ? [] : [{ name: name.text, body }]
  })

/** `check(…)`, `self.check(…)`, `cls.check(…)`. */
const calls = (node: Node): string | undefined => {
  if (node.type !== "call") return undefined
  const names = calleeNames(node)
  if (names.length === 1) return names[0]
  return names.length === 2 && (names[0] === "self" || names[0] === "cls") ? names[1] : undefined
}

const syntax: AssertionSyntax = {
  grammar: () => "python",
  forms: "assert …, pytest.raises(…), or self.assert…(…)",
  tests,
  asserts,
  helpers,
  calls
}

export const pythonAssertions = assertionCheck(syntax)
