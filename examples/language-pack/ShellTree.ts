/**
 * Shell scripts parsed with tree-sitter's bash grammar, the wasm build `@vscode/tree-sitter-wasm`
 * ships: the runtime is initialised and the grammar loaded once, on first use, and each tree is
 * freed when the work on it is done.
 */
import { createRequire } from "node:module"
import { Effect } from "effect"
import type { Node } from "web-tree-sitter"
import { QualityToolError } from "../../core/errors.ts"

const require = createRequire(import.meta.url)

let parser: Promise<import("web-tree-sitter").Parser> | undefined
const loadParser = () => {
  parser ??= import("web-tree-sitter").then(async ({ Language, Parser }) => {
    await Parser.init()
    const bash = await Language.load(require.resolve("@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm"))
    return new Parser().setLanguage(bash)
  })
  return parser
}

/** Runs `use` on the root node of `code`'s tree; `tool` names the failure when the grammar cannot load. */
export const withShellTree = <A>(code: string, path: string, tool: string, use: (root: Node) => A) =>
  Effect.acquireUseRelease(
    Effect.tryPromise({
      try: async () => {
        const tree = (await loadParser()).parse(code)
        if (tree === null) throw new Error("the parser returned no tree")
        return tree
      },
      catch: (error) =>
        new QualityToolError({ tool, path, cause: error instanceof Error ? error.message : String(error) })
    }),
    (tree) => Effect.sync(() => use(tree.rootNode)),
    (tree) => Effect.sync(() => tree.delete())
  )

/** Every node of the tree under `node`, depth first. */
export const descendants = function* (node: Node): Generator<Node> {
  yield node
  for (const child of node.namedChildren) if (child !== null) yield* descendants(child)
}
