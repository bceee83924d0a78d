/**
 * The packages a built JavaScript file loads at run time: its imports and exports from a
 * package, `import()`, `require()` and `require.resolve()` (also through `createRequire(...)`),
 * read from the syntax tree so that comments and strings that only mention a package are not counted.
 */
import { builtinModules } from "node:module"
import ts from "typescript"

const builtins: ReadonlySet<string> = new Set(builtinModules)

/** The package a bare specifier names (`@scope/name/x` → `@scope/name`); undefined for relative and builtin ones. */
export const packageOf = (specifier: string): string | undefined => {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined
  const parts = specifier.split("/")
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier)
  return builtins.has(name) ? undefined : name
}

const literalText = (node: ts.Node | undefined): string | undefined => {
  if (node === undefined) return undefined
  if (ts.isStringLiteralLike(node)) return node.text
  // `pkg/wasm/${name}.wasm`: the package is in the head.
  if (ts.isTemplateExpression(node)) return node.head.text
  return undefined
}

const isRequireLike = (node: ts.Expression): boolean =>
  (ts.isIdentifier(node) && node.text === "require") ||
  (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "createRequire")

/** Every module specifier `source` loads, in order of appearance. */
export const loadedSpecifiers = (source: string, fileName: string): ReadonlyArray<string> => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS)
  const found: Array<string> = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      const text = literalText(node.moduleSpecifier)
      if (text !== undefined) found.push(text)
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression
      const loads =
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === "require") ||
        (ts.isPropertyAccessExpression(callee) && callee.name.text === "resolve" && isRequireLike(callee.expression))
      const text = loads ? literalText(node.arguments[0]) : undefined
      if (text !== undefined) found.push(text)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}
