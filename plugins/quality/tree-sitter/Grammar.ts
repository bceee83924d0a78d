/**
 * The tree-sitter grammars we ship: the wasm builds of `@vscode/tree-sitter-wasm`, one package
 * with no install script, whose grammars load in `web-tree-sitter` 0.27.
 */
import { createRequire } from "node:module"

const wasmFiles = {
  typescript: "tree-sitter-typescript.wasm",
  tsx: "tree-sitter-tsx.wasm",
  javascript: "tree-sitter-javascript.wasm",
  python: "tree-sitter-python.wasm",
  go: "tree-sitter-go.wasm",
  rust: "tree-sitter-rust.wasm",
  java: "tree-sitter-java.wasm",
  cpp: "tree-sitter-cpp.wasm",
  "c-sharp": "tree-sitter-c-sharp.wasm",
  ruby: "tree-sitter-ruby.wasm",
  php: "tree-sitter-php.wasm"
} as const

/** A grammar id: the language a tree is parsed as. */
export type Grammar = keyof typeof wasmFiles

/** Every grammar, in a stable order. */
export const grammars: ReadonlyArray<Grammar> = Object.keys(wasmFiles) as ReadonlyArray<Grammar>

const require = createRequire(import.meta.url)

/** The absolute path of a grammar's wasm file, resolved through the package so hoisting does not matter. */
export const wasmPath = (grammar: Grammar): string =>
  require.resolve(`@vscode/tree-sitter-wasm/wasm/${wasmFiles[grammar]}`)
