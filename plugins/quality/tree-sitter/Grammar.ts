/**
 * The tree-sitter grammars we ship: the wasm builds of `@vscode/tree-sitter-wasm`, one package
 * with no install script, whose grammars load in `web-tree-sitter` 0.27; C's comes with the
 * `tree-sitter-c` package (its native binding is not used).
 */
import { createRequire } from "node:module"

const vscode = (name: string) => `@vscode/tree-sitter-wasm/wasm/tree-sitter-${name}.wasm`

const wasmFiles = {
  typescript: vscode("typescript"),
  tsx: vscode("tsx"),
  javascript: vscode("javascript"),
  python: vscode("python"),
  go: vscode("go"),
  rust: vscode("rust"),
  java: vscode("java"),
  c: "tree-sitter-c/tree-sitter-c.wasm",
  cpp: vscode("cpp"),
  "c-sharp": vscode("c-sharp"),
  ruby: vscode("ruby"),
  php: vscode("php")
} as const

/** A grammar id: the language a tree is parsed as. */
export type Grammar = keyof typeof wasmFiles

/** Every grammar, in a stable order. */
export const grammars: ReadonlyArray<Grammar> = Object.keys(wasmFiles) as ReadonlyArray<Grammar>

const require = createRequire(import.meta.url)

/** The absolute path of a grammar's wasm file, resolved through the package so hoisting does not matter. */
export const wasmPath = (grammar: Grammar): string => require.resolve(wasmFiles[grammar])
