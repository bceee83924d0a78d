/**
 * Finding the tests that assert nothing, from a file's syntax tree: each language says which
 * nodes are its tests and which are assertions (`<language>/Assertions.ts`); a test asserts when
 * its body holds an assertion, or calls a function of the same file whose body does (two levels:
 * a shared helper often wraps a check of its own file; deeper would cost a call graph),
 * or one it imports from another module of the workspace whose body does (`imports`): the module
 * is read and judged the same way, since its name says nothing (`verifyToken` may be the code
 * under test, `./support/noop` may be empty). Only a module that cannot be read or judged is
 * taken by where it lies: under the workspace's test folders it counts, so that a real test
 * asserting through a shared helper does not fail a good run.
 */
import { Effect } from "effect"
import type * as WebTreeSitter from "web-tree-sitter"
import type { AssertionCheck, TestsFound } from "../../core/services/LanguageRegistry.ts"
import type { Grammar } from "../quality/tree-sitter/Grammar.ts"
import { withTree } from "../quality/tree-sitter/TreeSitter.ts"
import { inTestFolder } from "./TestFolders.ts"

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
  /** The names the file at `path` imports from other modules of the workspace. */
  readonly imports?: (root: Node, path: string) => ReadonlyArray<ImportedName>
}

/** A name a file imports from another module of the workspace. */
export interface ImportedName {
  /** The name the file calls it by. */
  readonly local: string
  /** The name the module exports it as: `default`, or `*` for the whole module (`check.totals(…)`). */
  readonly exported: string
  /**
   * The workspace paths the module may be at, in the order the language looks (`./x` is `x.ts`,
   * then `x/index.ts`…); never one outside the workspace.
   */
  readonly modules: ReadonlyArray<string>
}

/** Reads a file of the change or of the workspace by its workspace path; undefined when there is none. */
export type ReadModule = (path: string) => Effect.Effect<string | undefined>

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

/**
 * Whether each function of the file asserts, by name: its body holds an assertion or a call that
 * `callsImported` says asserts, or calls such a function of the same file.
 */
const judgeFunctions = (
  root: Node,
  syntax: AssertionSyntax,
  callsImported: (node: Node) => boolean
): ReadonlyMap<string, boolean> => {
  const found = syntax.helpers(root)
  const direct = new Map<string, boolean>()
  for (const helper of found) {
    const asserts = some(
      helper.body,
      (node) =>
        callsImported(node) ||
        syntax.asserts(node, { name: helper.name, node: helper.body, body: helper.body, exempt: false })
    )
    direct.set(helper.name, (direct.get(helper.name) ?? false) || asserts)
  }
  const judged = new Map(direct)
  for (const helper of found) {
    if (judged.get(helper.name) === true) continue
    const called = (node: Node) => {
      const name = syntax.calls(node)
      return name !== undefined && direct.get(name) === true
    }
    if (some(helper.body, called)) judged.set(helper.name, true)
  }
  return judged
}

/**
 * Whether a call, by its callee's names (`expectTotals`, `check, totals`), asserts through an
 * imported function; undefined when it calls none, or one that could not be judged.
 */
export type ImportedAsserts = (names: ReadonlyArray<string>) => boolean | undefined

const isCall = (node: Node) => /^call/.test(node.type)

/** The tests of `root`, and those that assert nothing in document order. */
export const testsIn = (
  root: Node,
  syntax: AssertionSyntax,
  importedAsserts: ImportedAsserts = () => undefined
): TestsFound => {
  const tests = syntax.tests(root)
  if (tests.length === 0) return none
  const imported = (node: Node) => (isCall(node) ? importedAsserts(calleeNames(node)) : undefined)
  const callsImported = (node: Node) => imported(node) === true
  const helpers = judgeFunctions(root, syntax, callsImported)
  const unasserted = tests
    .filter(
      (test) =>
        !test.exempt &&
        !some(test.body, (node) => {
          // A helper, of the file or imported, is judged by its body: its name says nothing
          // (`assertSum` may only log).
          const called = syntax.calls(node)
          const helper = called === undefined ? undefined : helpers.get(called)
          return helper ?? imported(node) ?? syntax.asserts(node, test)
        })
    )
    .map((test) => ({ name: test.name, line: test.node.startPosition.row + 1 }))
  return { count: tests.length, unasserted }
}

/**
 * A module that cannot be read or judged counts where the workspace keeps its tests; elsewhere
 * (`src/helpers/`) the call is left to the language's assertion names (`assertTotals`).
 */
const byPlace = (imported: ImportedName | undefined) =>
  imported?.modules[0] !== undefined && inTestFolder(imported.modules[0]) ? true : undefined

const importedBy = (imports: ReadonlyArray<ImportedName>, head: string | undefined) =>
  head === undefined ? undefined : imports.find((name) => name.local === head)

/**
 * Whether each function of the first of `modules` that exists asserts; undefined when none can be
 * read or it does not parse. Its own imports are taken by place, not read: one level deep.
 */
const judgeModule = (syntax: AssertionSyntax, modules: ReadonlyArray<string>, read: ReadModule) =>
  Effect.gen(function* () {
    for (const module of modules) {
      const source = yield* read(module)
      if (source === undefined) continue
      return yield* withTree(source, syntax.grammar(module), module, (tree) =>
        Effect.sync(() => {
          if (tree.rootNode.hasError) return undefined
          const imports = syntax.imports?.(tree.rootNode, module) ?? []
          return judgeFunctions(
            tree.rootNode,
            syntax,
            (node) => isCall(node) && byPlace(importedBy(imports, calleeNames(node)[0])) === true
          )
        })
      ).pipe(Effect.orElseSucceed(() => undefined))
    }
    return undefined
  })

/** The tests of the file at `path`, with the functions it imports judged by their modules' bodies. */
const readTests = (root: Node, syntax: AssertionSyntax, path: string, read: ReadModule | undefined) =>
  Effect.gen(function* () {
    if (syntax.tests(root).length === 0) return none
    const imports = syntax.imports?.(root, path) ?? []
    const modules = new Map<string, ReadonlyMap<string, boolean> | undefined>()
    for (const imported of imports) {
      const key = imported.modules.join("\0")
      if (read === undefined || modules.has(key)) continue
      modules.set(key, yield* judgeModule(syntax, imported.modules, read))
    }
    return testsIn(root, syntax, ([head, member]) => {
      const imported = importedBy(imports, head)
      if (imported === undefined) return undefined
      const exported = imported.exported === "*" ? member : imported.exported
      const judged = exported === undefined ? undefined : modules.get(imported.modules.join("\0"))?.get(exported)
      return judged ?? byPlace(imported)
    })
  })

/** A language's `AssertionCheck` from its syntax. */
export const assertionCheck = (syntax: AssertionSyntax, besideCode = false): AssertionCheck => ({
  forms: syntax.forms,
  besideCode,
  read: (source, path, read) =>
    withTree(source, syntax.grammar(path), path, (tree) =>
      // A file that does not parse is the compiler's to report; guessing at its tests could block a good run.
      tree.rootNode.hasError ? Effect.succeed(none) : readTests(tree.rootNode, syntax, path, read)
    ).pipe(Effect.orElseSucceed(() => none))
})
