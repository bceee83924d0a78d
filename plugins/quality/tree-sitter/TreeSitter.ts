/**
 * The tree-sitter runtime: `web-tree-sitter` is imported and initialised on first use, each
 * grammar is loaded once and kept, and trees live in a scope that frees their wasm memory.
 * Importing this module loads nothing.
 */
import { Effect, type Scope } from "effect"
import type * as WebTreeSitter from "web-tree-sitter"
import { QualityToolError } from "../../../core/errors.ts"
import { causeOf, once } from "../Loading.ts"
import { type Grammar, wasmPath } from "./Grammar.ts"

/** The `tool` named in the errors of the runtime. */
export const toolName = "tree-sitter"

const runtime = once(async () => {
  const module = await import("web-tree-sitter")
  await module.Parser.init()
  return module
})

interface Loaded {
  readonly language: WebTreeSitter.Language
  /** The runtime's `Query` class, to compile queries against `language`. */
  readonly Query: typeof WebTreeSitter.Query
  // `parse` is synchronous, so one parser per grammar is never used by two fibers at once.
  readonly parser: WebTreeSitter.Parser
}

const loaders = new Map<Grammar, () => Promise<Loaded>>()
const loaderFor = (grammar: Grammar): (() => Promise<Loaded>) => {
  const known = loaders.get(grammar)
  if (known !== undefined) return known
  const loader = once(async () => {
    const { Language, Parser, Query } = await runtime()
    const language = await Language.load(wasmPath(grammar))
    const parser = new Parser()
    parser.setLanguage(language)
    return { language, parser, Query }
  })
  loaders.set(grammar, loader)
  return loader
}

const load = (grammar: Grammar, path: string): Effect.Effect<Loaded, QualityToolError> =>
  Effect.tryPromise({
    try: loaderFor(grammar),
    catch: (error) => new QualityToolError({ tool: toolName, path, cause: `cannot load ${grammar}: ${causeOf(error)}` })
  })

/** The loaded grammar and the `Query` class to compile queries against it. */
export const grammar = Effect.fn("TreeSitter.grammar")(function* (grammar: Grammar, path = "<input>") {
  const { language, Query } = yield* load(grammar, path)
  return { language, Query }
})

/** The syntax tree of `code`, deleted when the scope closes. */
export const parse = Effect.fn("TreeSitter.parse")(function* (
  code: string,
  grammar: Grammar,
  path = "<input>"
): Effect.fn.Return<WebTreeSitter.Tree, QualityToolError, Scope.Scope> {
  const { parser } = yield* load(grammar, path)
  return yield* Effect.acquireRelease(
    Effect.try({
      try: () => {
        const tree = parser.parse(code)
        // `parse` answers null only without a language or when cancelled, neither of which we do.
        if (tree === null) throw new Error("the parser returned no tree")
        return tree
      },
      catch: (error) => new QualityToolError({ tool: toolName, path, cause: causeOf(error) })
    }),
    (tree) => Effect.sync(() => tree.delete())
  )
})

/** Runs `use` on the tree of `code` and frees the tree afterwards. */
export const withTree = <A, E>(
  code: string,
  grammar: Grammar,
  path: string,
  use: (tree: WebTreeSitter.Tree) => Effect.Effect<A, E>
): Effect.Effect<A, E | QualityToolError> => Effect.scoped(Effect.flatMap(parse(code, grammar, path), use))
