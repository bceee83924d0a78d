/**
 * Static checks of a nunjucks source, before anything renders: syntax, variables, and the
 * injection guard. Templates come from users and from models, so the guard refuses every
 * route to JavaScript objects that are not plain template data.
 */
import nunjucks from "nunjucks"
import { filters, safeBuiltinFilters } from "./Filters.ts"

// @types/nunjucks does not declare the parser, which the static checks need.
const parser = (nunjucks as unknown as { readonly parser: { parse(src: string, ext: [], opts: object): unknown } })
  .parser

export interface Finding {
  readonly rule: string
  readonly message: string
  readonly line?: number
  readonly column?: number
}

/** Names whose mere appearance in a template is refused. */
export const forbiddenNames: ReadonlySet<string> = new Set([
  "constructor",
  "__proto__",
  "prototype",
  "process",
  "global",
  "globalThis",
  "require",
  "import",
  "Function",
  "eval",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__"
])

/** Names refused as members only: harmless as a variable, a route to code as `.call(...)`. */
export const forbiddenMembers: ReadonlySet<string> = new Set([
  ...forbiddenNames,
  "valueOf",
  "toString",
  "call",
  "apply",
  "bind"
])

/** Nunjucks tests (`x is string`) a template may use. */
const knownTests: ReadonlySet<string> = new Set([
  "defined",
  "undefined",
  "none",
  "null",
  "string",
  "number",
  "odd",
  "even",
  "divisibleby",
  "truthy",
  "falsy",
  "iterable",
  "mapping",
  "lower",
  "upper",
  "equalto",
  "eq",
  "sameas",
  "ne",
  "lt",
  "gt",
  "le",
  "ge",
  "escaped",
  "callable"
])

/** Names every template may read besides its parameters. */
export const contextNames: ReadonlySet<string> = new Set([
  "taskType",
  "language",
  "framework",
  "issue",
  "analysis",
  "requirements",
  "conventions",
  "dependencies",
  "existingFiles",
  "loop",
  "caller",
  "super",
  "true",
  "false",
  "none",
  "null",
  "True",
  "False",
  "None"
])

/** Functions a template may call besides its own macros. */
const callableGlobals: ReadonlySet<string> = new Set(["range", "caller", "super"])

interface AstNode {
  readonly typename: string
  readonly lineno: number
  readonly colno: number
  readonly fields: ReadonlyArray<string>
  readonly children?: ReadonlyArray<AstNode>
  readonly value?: unknown
  readonly [field: string]: unknown
}

const isNode = (value: unknown): value is AstNode =>
  typeof value === "object" && value !== null && typeof (value as { typename?: unknown }).typename === "string"

const childrenOf = (node: AstNode): ReadonlyArray<AstNode> => {
  const out: Array<AstNode> = []
  if (Array.isArray(node.children)) for (const child of node.children) if (isNode(child)) out.push(child)
  for (const field of node.fields) {
    const value = node[field]
    if (isNode(value)) out.push(value)
  }
  return out
}

const symbolsIn = (node: unknown): ReadonlyArray<string> => {
  if (!isNode(node)) return []
  if (node.typename === "Symbol") return [String(node.value)]
  if (node.typename === "Pair") return symbolsIn(node.value)
  return (node.children ?? []).flatMap(symbolsIn)
}

interface Walk {
  readonly bound: Set<string>
  readonly macros: Set<string>
  readonly namespaces: Set<string>
  readonly uses: Array<{ readonly name: string; readonly line: number; readonly column: number }>
  readonly findings: Array<Finding>
  readonly templateRefs: Array<string>
}

const at = (node: AstNode) => ({ line: node.lineno + 1, column: node.colno + 1 })

const walk = (node: AstNode, state: Walk): void => {
  const refuse = (rule: string, message: string) => state.findings.push({ rule, message, ...at(node) })
  switch (node.typename) {
    case "Symbol": {
      const name = String(node.value)
      if (forbiddenNames.has(name)) refuse("injection/forbidden-name", `refers to ${name}`)
      state.uses.push({ name, ...at(node) })
      return
    }
    case "Literal":
    case "TemplateData":
      return
    case "LookupVal": {
      const key = node.val
      if (isNode(key) && key.typename === "Literal") {
        if (forbiddenMembers.has(String(key.value))) refuse("injection/forbidden-name", `reads .${String(key.value)}`)
      } else {
        refuse("injection/dynamic-lookup", "member access with a computed key")
      }
      if (isNode(node.target)) {
        if (node.target.typename === "Literal") refuse("injection/literal-member", "member access on a literal")
        walk(node.target, state)
      }
      return
    }
    case "Filter": {
      const name = isNode(node.name) ? String(node.name.value) : ""
      if (!(name in filters) && !safeBuiltinFilters.has(name)) refuse("injection/unknown-filter", `filter ${name}`)
      if (isNode(node.args)) walk(node.args, state)
      return
    }
    case "FunCall": {
      const callee = node.name
      if (isNode(callee) && callee.typename === "Symbol") {
        const name = String(callee.value)
        if (forbiddenNames.has(name)) refuse("injection/forbidden-name", `calls ${name}`)
        else if (!callableGlobals.has(name)) state.uses.push({ name: `call:${name}`, ...at(callee) })
      } else if (
        isNode(callee) &&
        callee.typename === "LookupVal" &&
        isNode(callee.target) &&
        callee.target.typename === "Symbol" &&
        isNode(callee.val) &&
        callee.val.typename === "Literal"
      ) {
        const owner = String(callee.target.value)
        const method = String(callee.val.value)
        if (forbiddenMembers.has(method)) refuse("injection/forbidden-name", `calls .${method}`)
        else if (!(owner === "loop" && method === "cycle")) {
          state.uses.push({ name: `method:${owner}`, ...at(callee) })
        }
      } else {
        refuse("injection/method-call", "calls a method on a value that is not a template macro")
        // What it calls may itself reach a forbidden name: report that too.
        if (isNode(callee)) walk(callee, state)
      }
      if (isNode(node.args)) walk(node.args, state)
      return
    }
    case "For":
    case "AsyncEach":
    case "AsyncAll":
      for (const name of symbolsIn(node.name)) state.bound.add(name)
      if (isNode(node.arr)) walk(node.arr, state)
      if (isNode(node.body)) walk(node.body, state)
      if (isNode(node.else_)) walk(node.else_, state)
      return
    case "Set":
      for (const name of (Array.isArray(node.targets) ? node.targets : []).flatMap(symbolsIn)) state.bound.add(name)
      if (isNode(node.value)) walk(node.value, state)
      if (isNode(node.body)) walk(node.body, state)
      return
    case "Macro":
    case "Caller": {
      for (const name of symbolsIn(node.name)) state.macros.add(name)
      const args = node.args
      if (isNode(args)) {
        for (const arg of args.children ?? []) {
          if (arg.typename === "Symbol") state.bound.add(String(arg.value))
          else if (arg.typename === "KeywordArgs") {
            for (const pair of arg.children ?? []) {
              for (const name of symbolsIn(pair.key)) state.bound.add(name)
              if (isNode(pair.value)) walk(pair.value, state)
            }
          }
        }
      }
      if (isNode(node.body)) walk(node.body, state)
      return
    }
    case "Import":
    case "FromImport":
    case "Include":
    case "Extends": {
      const ref = node.template
      if (isNode(ref) && ref.typename === "Literal" && typeof ref.value === "string") state.templateRefs.push(ref.value)
      else refuse("injection/dynamic-template", "template name must be a literal string")
      if (node.typename === "Import") for (const name of symbolsIn(node.target)) state.namespaces.add(name)
      if (node.typename === "FromImport" && isNode(node.names)) {
        for (const entry of node.names.children ?? []) {
          const alias = entry.typename === "Pair" ? entry.value : entry
          for (const name of symbolsIn(alias)) state.macros.add(name)
        }
      }
      return
    }
    case "Is": {
      // The right side names a test, not a variable: `x is string`, `n is divisibleby(3)`.
      const test = node.right
      if (isNode(node.left)) walk(node.left, state)
      const name = isNode(test)
        ? test.typename === "Symbol"
          ? String(test.value)
          : isNode(test.name)
            ? String(test.name.value)
            : ""
        : ""
      if (!knownTests.has(name)) refuse("injection/unknown-test", `test ${name}`)
      if (isNode(test) && test.typename === "FunCall" && isNode(test.args)) walk(test.args, state)
      return
    }
    case "KeywordArgs":
    case "Dict":
      for (const pair of node.children ?? []) if (isNode(pair.value)) walk(pair.value, state)
      return
    case "CallExtension":
    case "CallExtensionAsync":
      refuse("injection/extension", "template extensions are not allowed")
      return
    default:
      for (const child of childrenOf(node)) walk(child, state)
  }
}

const endOf = (source: string) => {
  const lines = source.split("\n")
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 }
}

export interface CheckResult {
  readonly findings: ReadonlyArray<Finding>
  /** Names the source reads that it does not bind itself. */
  readonly freeNames: ReadonlySet<string>
  /** Partials it includes, imports or extends. */
  readonly templateRefs: ReadonlyArray<string>
}

/** Parses `source` and checks it; `declared` are the parameter names of its template. */
export const checkSource = (source: string, declared: ReadonlySet<string>): CheckResult => {
  let root: unknown
  try {
    root = parser.parse(source, [], {})
  } catch (error) {
    const { lineno, colno, message } = error as { lineno?: number; colno?: number; message?: string }
    const text = String(message ?? error)
      .replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/s, "")
      .trim()
    return {
      findings: [
        {
          rule: "syntax",
          message: text,
          // The parser's positions are already 1-based; an error at end of input has none.
          ...(lineno === undefined ? endOf(source) : { line: lineno, column: colno ?? 1 })
        }
      ],
      freeNames: new Set(),
      templateRefs: []
    }
  }
  const state: Walk = {
    bound: new Set(),
    macros: new Set(),
    namespaces: new Set(),
    uses: [],
    findings: [],
    templateRefs: []
  }
  if (isNode(root)) walk(root, state)
  const freeNames = new Set<string>()
  for (const use of state.uses) {
    if (use.name.startsWith("call:")) {
      const name = use.name.slice(5)
      if (!state.macros.has(name)) {
        state.findings.push({ rule: "injection/call", message: `calls ${name}, which is not a macro`, ...use })
      }
      continue
    }
    if (use.name.startsWith("method:")) {
      const owner = use.name.slice(7)
      if (!state.namespaces.has(owner)) {
        state.findings.push({
          rule: "injection/method-call",
          message: `calls a method of ${owner}, which is not an imported macro namespace`,
          ...use
        })
      }
      continue
    }
    if (state.bound.has(use.name) || state.macros.has(use.name) || state.namespaces.has(use.name)) continue
    if (contextNames.has(use.name) || declared.has(use.name)) {
      freeNames.add(use.name)
      continue
    }
    state.findings.push({
      rule: "undeclared-variable",
      message: `${use.name} is not a parameter or a context field`,
      ...use
    })
  }
  return { findings: state.findings, freeNames, templateRefs: state.templateRefs }
}
