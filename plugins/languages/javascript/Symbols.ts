/**
 * Exported symbols of TypeScript and JavaScript, read with the TypeScript compiler's parser
 * (no type checking). `typescript` is imported on first use: it is large.
 */
import { Effect } from "effect"
import type TS from "typescript"
import { type SourceSymbol, type SymbolParameter, sourceSymbol } from "../../../core/domain/SourceSymbol.ts"
import type { SymbolReader } from "../../../core/services/LanguageRegistry.ts"

type Ts = typeof TS

let loaded: Promise<Ts> | undefined
/** The compiler module, loaded once. */
export const loadTypeScript = (): Promise<Ts> => {
  // A CommonJS package: its API is the default export under Node's ES module loader.
  loaded ??= import("typescript").then((module) => module.default)
  return loaded
}

const parameterOf = (ts: Ts, source: TS.SourceFile, p: TS.ParameterDeclaration): SymbolParameter => ({
  name: ts.isIdentifier(p.name) ? p.name.text : p.name.getText(source),
  type: p.type?.getText(source),
  hasDefault: p.initializer !== undefined,
  rest: p.dotDotDotToken !== undefined
})

/** `this` parameters are TypeScript-only: they are not parameters at run time. */
const runtimeParameters = (ts: Ts, source: TS.SourceFile, params: TS.NodeArray<TS.ParameterDeclaration>) =>
  params.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === "this")).map((p) => parameterOf(ts, source, p))

const hasModifier = (ts: Ts, node: TS.Node, kind: TS.SyntaxKind) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind)

const isPrivate = (ts: Ts, member: TS.ClassElement) =>
  hasModifier(ts, member, ts.SyntaxKind.PrivateKeyword) ||
  hasModifier(ts, member, ts.SyntaxKind.ProtectedKeyword) ||
  (member.name !== undefined && ts.isPrivateIdentifier(member.name))

const documented = (ts: Ts, node: TS.Node, text: string) =>
  (ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []).some(
    (range) => range.kind === ts.SyntaxKind.MultiLineCommentTrivia && text.startsWith("/**", range.pos)
  )

const position = (ts: Ts, source: TS.SourceFile, node: TS.Node, text: string) => {
  const start = node.getStart(source)
  const { line } = source.getLineAndCharacterOfPosition(start)
  const lineStart = source.getPositionOfLineAndCharacter(line, 0)
  const indent = /^[ \t]*/.exec(text.slice(lineStart, start))?.[0] ?? ""
  return { line, indent, documented: documented(ts, node, text) }
}

const functionLike = (
  ts: Ts,
  source: TS.SourceFile,
  node: TS.SignatureDeclarationBase
): Pick<SourceSymbol, "params" | "returns" | "generic"> => ({
  params: runtimeParameters(ts, source, node.parameters),
  returns: node.type?.getText(source),
  generic: (node.typeParameters?.length ?? 0) > 0
})

const classMembers = (ts: Ts, source: TS.SourceFile, node: TS.ClassDeclaration, owner: string, text: string) =>
  node.members.flatMap((member): ReadonlyArray<SourceSymbol> => {
    if (!ts.isMethodDeclaration(member) || isPrivate(ts, member) || !ts.isIdentifier(member.name)) return []
    const isStatic = hasModifier(ts, member, ts.SyntaxKind.StaticKeyword)
    return [
      sourceSymbol({
        name: member.name.text,
        kind: "method",
        owner,
        isStatic,
        receiver: isStatic ? undefined : "this",
        ...functionLike(ts, source, member),
        ...position(ts, source, member, text)
      })
    ]
  })

/** The exported functions, classes and their public methods, in source order. */
export const typeScriptSymbols = (ts: Ts, text: string, path: string): ReadonlyArray<SourceSymbol> => {
  const kind = /\.[cm]?jsx?$/.test(path) ? ts.ScriptKind.JS : /x$/.test(path) ? ts.ScriptKind.TSX : ts.ScriptKind.TS
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind)
  // `export { a, b as c }` exports local declarations under a name.
  const exportedNames = new Map<string, string>()
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier === undefined && statement.exportClause) {
      if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          if (statement.isTypeOnly || element.isTypeOnly) continue
          exportedNames.set((element.propertyName ?? element.name).getText(source), element.name.text)
        }
      }
    }
  }
  const exportedAs = (node: TS.Node, local: string): string | undefined =>
    hasModifier(ts, node, ts.SyntaxKind.ExportKeyword) && !hasModifier(ts, node, ts.SyntaxKind.DefaultKeyword)
      ? local
      : exportedNames.get(local)

  const symbols: Array<SourceSymbol> = []
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name !== undefined && statement.body !== undefined) {
      const name = exportedAs(statement, statement.name.text)
      if (name === undefined) continue
      symbols.push(
        sourceSymbol({
          name,
          kind: "function",
          ...functionLike(ts, source, statement),
          ...position(ts, source, statement, text)
        })
      )
    } else if (ts.isClassDeclaration(statement) && statement.name !== undefined) {
      const name = exportedAs(statement, statement.name.text)
      if (name === undefined) continue
      const init = statement.members.find(ts.isConstructorDeclaration)
      symbols.push(
        sourceSymbol({
          name,
          kind: "class",
          params: init === undefined ? [] : runtimeParameters(ts, source, init.parameters),
          generic: (statement.typeParameters?.length ?? 0) > 0,
          ...position(ts, source, statement, text)
        }),
        ...classMembers(ts, source, statement, name, text)
      )
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer
        if (!ts.isIdentifier(declaration.name) || init === undefined) continue
        if (!ts.isArrowFunction(init) && !ts.isFunctionExpression(init)) continue
        const name = exportedAs(statement, declaration.name.text)
        if (name === undefined) continue
        symbols.push(
          sourceSymbol({
            name,
            kind: "function",
            ...functionLike(ts, source, init),
            ...position(ts, source, statement, text)
          })
        )
      }
    }
  }
  return symbols
}

/** The relative module specifiers the file imports (`./x.ts`, `../y`), to follow its import style. */
export const relativeImports = (ts: Ts, text: string, path: string): ReadonlyArray<string> => {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false)
  return source.statements.flatMap((statement) =>
    (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
    statement.moduleSpecifier !== undefined &&
    ts.isStringLiteral(statement.moduleSpecifier) &&
    statement.moduleSpecifier.text.startsWith(".")
      ? [statement.moduleSpecifier.text]
      : []
  )
}

/** The symbol reader of TypeScript and JavaScript; a declaration file (`.d.ts`) has no code to test or document. */
export const javaScriptSymbolReader: SymbolReader = {
  reads: (path) => !/\.d\.[cm]?ts$/.test(path),
  read: (source, path) => Effect.map(Effect.promise(loadTypeScript), (ts) => typeScriptSymbols(ts, source, path))
}
