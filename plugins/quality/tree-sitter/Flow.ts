/**
 * Intra-procedural data flow for the flow rules: a scan of the text finds the calls that can be
 * sinks; for each, the enclosing function is read in order (assignments, `+=`, builder calls)
 * and the sink's argument is traced back to a request, the environment, a parameter or a
 * literal. Only functions that contain a sink are read, so a file without one costs the scan.
 *
 * The analysis is may-taint and path-insensitive: every assignment before the sink counts, in
 * whatever branch it is. A name assigned nowhere in the function is looked up in the enclosing
 * ones (closures); a name found nowhere is a value of unknown origin, never a source.
 */
import type { Node } from "web-tree-sitter"
import { FlowStep, QualityIssue } from "../../../core/domain/Quality.ts"
import type { FlowRule, FlowSyntax, Sink } from "./Rule.ts"

type Origin = "request" | "environment" | "value"

interface Place {
  readonly line: number
  readonly code: string
}

/** A value that is not known to be clean: where it comes from and the assignments it went through. */
interface Taint {
  readonly origin: Origin
  /** Assembled from a non-literal part (concatenation, formatting, interpolation, a builder). */
  readonly built: boolean
  readonly source: Place
  readonly steps: ReadonlyArray<Place>
  /** The literal text the value starts with, when it was built from a literal head. */
  readonly head: string | undefined
}

const rank: Record<Origin, number> = { request: 2, environment: 1, value: 0 }

const shorten = (text: string): string => {
  const flat = text.replace(/[\p{Cc}\s]+/gu, " ").trim()
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat
}

const placeOf = (node: Node): Place => ({ line: node.startPosition.row + 1, code: shorten(node.text) })

/** The stronger origin, every step of both (by line), the first's head. */
const merge = (a: Taint | undefined, b: Taint | undefined): Taint | undefined => {
  if (a === undefined) return b
  if (b === undefined) return a
  const [base, other] = rank[b.origin] > rank[a.origin] ? [b, a] : [a, b]
  const steps = [...base.steps]
  for (const step of other.steps) if (!steps.some((known) => known.line === step.line)) steps.push(step)
  return {
    ...base,
    built: a.built || b.built,
    steps: steps.sort((x, y) => x.line - y.line),
    head: a.head
  }
}

const mergeAll = (taints: ReadonlyArray<Taint | undefined>): Taint | undefined =>
  taints.reduce<Taint | undefined>(merge, undefined)

/** What a name holds from a point on: the taint of one assignment (undefined: a clean one). */
interface Binding {
  readonly after: number
  readonly taint: Taint | undefined
  /** The literal text the assigned value starts with, tainted or not: `+=` keeps it. */
  readonly head: string | undefined
  /** For a record literal: what each field holds, so that `q.sql` is not `q.values`. */
  readonly fields?: ReadonlyMap<string, Taint | undefined>
  /** For an assignment to one field (`q.sql = …`): that field and what it holds from here on. */
  readonly field?: { readonly key: string; readonly taint: Taint | undefined; readonly head: string | undefined }
}

interface Scope {
  readonly fn: Node
  /** What is read for the scope's assignments: the function's body, or the whole tree. */
  readonly body: Node
  readonly parent: Scope | undefined
  /** A parameter's taint; undefined for a clean argument of a helper read at its call. */
  readonly parameters: ReadonlyMap<string, Taint | undefined>
  readonly bindings: Map<string, Array<Binding>>
  /** Whether the body has been read; the module's is read only when a name falls through to it. */
  loaded: boolean
}

/** The parts of a call: its callee's last name, the text before it, and its positional arguments. */
interface CallParts {
  readonly name: string
  readonly receiver: string
  readonly callee: string
  readonly receiverNode: Node | undefined
  readonly args: ReadonlyArray<Node>
}

const constantName = /^[A-Z][A-Z0-9_]*$/
/** Member, index and path expressions of the grammars: where a source is read by its text. */
const accesses = [
  "member_expression",
  "subscript_expression",
  "attribute",
  "subscript",
  "selector_expression",
  "index_expression",
  "field_access",
  "field_expression",
  "array_access",
  "scoped_identifier"
]
/**
 * The node whose children are a record literal's fields: an object or dictionary, a Go struct
 * literal (`query{sql: …}`, `&query{…}`), a Rust struct expression. A value built in a field
 * keeps its head when the record is assigned.
 */
const recordBody = (node: Node): Node | undefined => {
  if (node.type === "object" || node.type === "dictionary") return node
  if (node.type === "composite_literal" || node.type === "struct_expression")
    return node.childForFieldName("body") ?? undefined
  const operand = node.type === "unary_expression" ? node.childForFieldName("operand") : null
  return operand !== null && node.text.startsWith("&") ? recordBody(operand) : undefined
}
/** Go writes both sides of an assignment as lists: `q.sql = x`'s target is the list of one `q.sql`. */
const single = (node: Node): Node =>
  node.type === "expression_list" && node.namedChildCount === 1 ? (node.namedChildren[0] ?? node) : node
/**
 * Fields of a record that carry bound values beside a text, not the text (`{ text, values }` of
 * pg, `{ node, variables }` of xpath): a record's taint leaves them out.
 */
const boundFields = /^(values|params|parameters|replacements|bind|binds|args|arguments|variables|vars)$/
const unquote = (text: string) => text.replace(/^[a-zA-Z]*(["'`])(.*)\1$/s, "$2")
/** Where a function returns its value: return statements, or an arrow function's expression body. */
const returnTypes = ["return_statement", "return_expression"]
const selfName = /^(self|this|cls)$/
const lastName = /([A-Za-z_$][\w$]*)!?\s*$/
/** A name followed by `=`, `+=` or a key's `:` (not `==`, `:=` or `::`). */
const writtenName = /(?<![\w$])([A-Za-z_$][\w$]*)\s*(?::(?![=:])|\+?=(?!=))/g

/** Node types that declare a type whose methods share its fields: classes, and Rust's `impl` blocks. */
const ownerTypes = [
  "class_declaration",
  "class_definition",
  "class",
  "abstract_class_declaration",
  "record_declaration",
  "enum_declaration",
  "impl_item"
]
/** `*Store[T]`, `Job<T>`, `&Job` name the type `Store`, `Job`. */
const typeName = (text: string): string =>
  text
    .replace(/^[\s*&]+/, "")
    .replace(/[<[][\s\S]*$/, "")
    .trim()

/** What every rule's analysis of one tree shares: the file's functions by name, found on first use. */
interface TreeFacts {
  helpers: Map<string, Node> | undefined
  /** Where the file sets fields of each name read so far, by `Type.field`: see `memberWritesOf`. */
  readonly members: Map<string, ReadonlyMap<string, ReadonlyArray<MemberWrite>>>
  /** The names the text assigns or keys: see `isWritten`. */
  written: Set<string> | undefined
  /** Whether a function can hold request data, by id: see `mayReadRequest`. */
  readonly requestFunctions: Map<number, boolean>
}

/** Where a type's field is set: an assignment and its value, or a struct literal and the field's key. */
interface MemberWrite {
  readonly node: Node
  readonly value: Node | undefined
  readonly field: string
}

/** The analysis of one tree for one rule set; scopes are read once per function and rule. */
export const analyse = (
  syntax: FlowSyntax,
  functionTypes: ReadonlyArray<string>,
  rules: ReadonlyArray<FlowRule>,
  toolName: string
) => {
  const callParts = (node: Node): CallParts | undefined => {
    const fields = syntax.calls[node.type]
    if (fields === undefined) return undefined
    const argsNode = node.childForFieldName(fields.args)
    const args = (argsNode?.namedChildren ?? []).filter(
      (arg): arg is Node => arg !== null && arg.type !== "keyword_argument" && arg.type !== "comment"
    )
    if (fields.callee !== undefined) {
      const calleeNode = node.childForFieldName(fields.callee)
      if (calleeNode === null) return undefined
      // Rust's turbofish (`sqlx::query_as::<_, User>`) names no callee of its own.
      const callee =
        calleeNode.type === "generic_function" ? calleeNode.text.replace(/::\s*<[\s\S]*>\s*$/, "") : calleeNode.text
      const name = lastName.exec(callee)?.[1] ?? ""
      const receiverNode =
        calleeNode.childForFieldName("object") ??
        calleeNode.childForFieldName("operand") ??
        calleeNode.childForFieldName("value") ??
        undefined
      const receiver = callee.slice(0, callee.length - name.length).replace(/(\.|::|->|\?\.)\s*$/, "")
      return { name, receiver, callee, receiverNode, args }
    }
    const nameNode = fields.name === undefined ? null : node.childForFieldName(fields.name)
    const receiverNode = (fields.receiver === undefined ? null : node.childForFieldName(fields.receiver)) ?? undefined
    const name = nameNode?.text ?? ""
    const receiver = receiverNode?.text ?? ""
    return { name, receiver, callee: receiver === "" ? name : `${receiver}.${name}`, receiverNode, args }
  }

  const namesIn = (target: Node): ReadonlyArray<string> =>
    syntax.identifiers.includes(target.type)
      ? [target.text]
      : target.descendantsOfType([...syntax.identifiers]).flatMap((node) => (node === null ? [] : [node.text]))

  const enclosingFunction = (node: Node): Node | undefined => {
    for (let current = node.parent; current !== null; current = current.parent) {
      if (functionTypes.includes(current.type)) return current
    }
    return undefined
  }

  const parametersOf = (fn: Node, code: string): ReadonlyMap<string, Taint> => {
    const parameters = new Map<string, Taint>()
    const list = fn.childForFieldName("parameters") ?? fn.childForFieldName("parameter")
    if (list === null) return parameters
    // Decorators (Python) sit on the parent; annotations (Java) before the parameters.
    const start = fn.parent?.type === "decorated_definition" ? fn.parent.startIndex : fn.startIndex
    const preamble = code.slice(start, list.startIndex)
    const handler = syntax.handler?.test(preamble) === true || syntax.handlerParameters?.test(list.text) === true
    const items = syntax.identifiers.includes(list.type) ? [list] : list.namedChildren
    for (const item of items) {
      if (item === null || item.type === "comment") continue
      const named = item.childForFieldName("name") ?? item.childForFieldName("pattern") ?? item
      const names = namesIn(named)
      const request = handler || syntax.requestParameter.test(item.text)
      for (const name of names) {
        if (selfName.test(name)) continue
        parameters.set(name, {
          origin: request ? "request" : "value",
          built: false,
          source: { line: item.startPosition.row + 1, code: `parameter ${shorten(item.text)}` },
          steps: [],
          head: undefined
        })
      }
    }
    return parameters
  }

  /** The named children that are values: not the member name of `a.b` (an identifier in Python and Java). */
  const partsOf = (node: Node): ReadonlyArray<Node> => {
    // A macro's name (`format!`) is not a value either.
    const member =
      node.childForFieldName("attribute") ?? node.childForFieldName("field") ?? node.childForFieldName("macro")
    return node.namedChildren.filter((child): child is Node => child !== null && child.id !== member?.id)
  }

  /**
   * Whether an expression reads request data or the environment: a member access by its text
   * (`req.query.id`), a call by its callee (`request.getParameter(`), so that a sanitised
   * argument inside a call is not read as the call's source.
   */
  const sourceOf = (node: Node, parts: CallParts | undefined): Origin | undefined => {
    if (parts === undefined && !accesses.includes(node.type)) return undefined
    if (node.endIndex - node.startIndex > 300) return undefined
    const text = parts === undefined ? node.text : `${parts.callee}(`
    if (syntax.requestSource.test(text)) return "request"
    if (syntax.environmentSource.test(text)) return "environment"
    return undefined
  }

  const stringHead = (node: Node): string =>
    node.text.replace(/^[a-zA-Z]*("""|'''|"|'|`)?/, "").split(/\$\{|\{|%[sdvq]|["'`]/)[0] ?? ""

  /**
   * The type whose method (or class body) holds `node`, and the name a Go method gives its
   * receiver (other languages say `this` or `self`).
   */
  const ownerOf = (node: Node): { readonly type: string; readonly receiver: string | undefined } | undefined => {
    for (let current = node.parent; current !== null; current = current.parent) {
      const receiver = current.type === "method_declaration" ? current.childForFieldName("receiver") : null
      if (receiver !== null) {
        const item = receiver.namedChildren.find((child) => child?.type === "parameter_declaration")
        const typeNode = item?.childForFieldName("type")
        if (typeNode === null || typeNode === undefined) return undefined
        return { type: typeName(typeNode.text), receiver: item?.childForFieldName("name")?.text }
      }
      if (ownerTypes.includes(current.type)) {
        const named = current.childForFieldName("name") ?? current.childForFieldName("type")
        return named === null ? undefined : { type: typeName(named.text), receiver: undefined }
      }
    }
    return undefined
  }

  /** `this.cmd`, `self.cmd`, a Go method's `j.cmd`: the field of the owner's type it names. */
  const memberKey = (node: Node): string | undefined => {
    if (!accesses.includes(node.type)) return undefined
    const base =
      node.childForFieldName("object") ?? node.childForFieldName("value") ?? node.childForFieldName("operand")
    const named =
      node.childForFieldName("property") ?? node.childForFieldName("attribute") ?? node.childForFieldName("field")
    if (base === null || named === null) return undefined
    const owner = ownerOf(node)
    if (owner === undefined || owner.type === "") return undefined
    return selfName.test(base.text) || base.text === owner.receiver ? `${owner.type}.${named.text}` : undefined
  }

  /** Java's `name = file` in a method with no parameter or local `name`: the field it sets. */
  const bareMemberKey = (target: Node, assignment: Node, code: string): string | undefined => {
    if (syntax.bareFields !== true || !syntax.identifiers.includes(target.type)) return undefined
    const fn = enclosingFunction(assignment)
    if (fn === undefined || assignment.parent?.type !== "expression_statement") return undefined
    const declared = (fn.childForFieldName("body") ?? fn)
      .descendantsOfType(Object.keys(syntax.assignments))
      .some(
        (node) => node !== null && node.type !== assignment.type && node.childForFieldName("name")?.text === target.text
      )
    if (declared || parametersOf(fn, code).has(target.text)) return undefined
    const owner = ownerOf(assignment)
    return owner === undefined ? undefined : `${owner.type}.${target.text}`
  }

  /**
   * Where the file sets fields named `name`, by `Type.name`: assignments to `this.name`,
   * `self.name`, a Go method's `j.name` (Java's bare `name`), and struct literals' `name:`. A
   * scan of the text finds the candidates, as for sinks, and the tree confirms each: far cheaper
   * than a walk of every assignment, and most field names a flow reads are never set.
   */
  const memberWritesOf = (
    name: string,
    root: Node,
    code: string,
    tree: TreeFacts
  ): ReadonlyMap<string, ReadonlyArray<MemberWrite>> => {
    const known = tree.members.get(name)
    if (known !== undefined) return known
    const found = new Map<string, Array<MemberWrite>>()
    const add = (key: string, place: MemberWrite) => found.set(key, [...(found.get(key) ?? []), place])
    const escaped = name.replace(/[$]/g, "\\$&")
    for (const hit of code.matchAll(new RegExp(`(?<![\\w$])${escaped}\\s*(?::(?!=)|\\+?=(?!=))`, "g"))) {
      const named = root.descendantForIndex(hit.index, hit.index + name.length)
      if (named === null || named.text !== name) continue
      let target: Node = named
      // `this.name`, `self.name`, `j.name`: the access around the name is the target.
      if (named.parent !== null && accesses.includes(named.parent.type)) target = named.parent
      const holder = target.parent?.type === "expression_list" ? target.parent.parent : target.parent
      if (holder === null || holder === undefined) continue
      const fields = syntax.assignments[holder.type]
      const value = fields === undefined ? null : holder.childForFieldName(fields.value)
      if (
        fields !== undefined &&
        value !== null &&
        single(holder.childForFieldName(fields.target) ?? holder).id === target.id
      ) {
        const key = target.id === named.id ? bareMemberKey(target, holder, code) : memberKey(target)
        if (key !== undefined) add(key, { node: holder, value, field: "" })
        continue
      }
      // A struct literal's `name: value` (Go's key sits in a literal element).
      let literal: Node | null = holder
      for (let depth = 0; literal !== null && depth < 3 && recordBody(literal) === undefined; depth++)
        literal = literal.parent
      const typeNode = literal?.childForFieldName("type") ?? literal?.childForFieldName("name")
      if (literal === null || typeNode === null || typeNode === undefined) continue
      if (!/^(composite_literal|struct_expression)$/.test(literal.type)) continue
      if (!/^(type_identifier|generic_type)$/.test(typeNode.type)) continue
      add(`${typeName(typeNode.text)}.${name}`, { node: literal, value: undefined, field: name })
    }
    tree.members.set(name, found)
    return found
  }

  /**
   * Whether the text assigns or keys `name` anywhere (`name =`, `name +=`, `name:`): one scan per
   * tree, so that a read of a name never set costs no search of its own.
   */
  const isWritten = (name: string, code: string, tree: TreeFacts): boolean => {
    if (tree.written === undefined)
      tree.written = new Set(Array.from(code.matchAll(writtenName), (match) => match[1] ?? ""))
    return tree.written.has(name)
  }

  /**
   * Whether the function around `node` can hold request data: a request parameter in it or a
   * function around it, or a request read in the outermost one's text. A field set elsewhere is
   * left unread: reading every method that sets a field would cost more than the rules do.
   */
  const mayReadRequest = (node: Node, code: string, tree: TreeFacts): boolean => {
    let outermost: Node | undefined
    for (let fn = enclosingFunction(node); fn !== undefined; fn = enclosingFunction(fn)) {
      const known = tree.requestFunctions.get(fn.id)
      if (known !== undefined) return known
      if ([...parametersOf(fn, code).values()].some((taint) => taint.origin === "request")) {
        tree.requestFunctions.set(fn.id, true)
        return true
      }
      outermost = fn
    }
    if (outermost === undefined) return false
    const reads = syntax.requestSource.test(outermost.text)
    tree.requestFunctions.set(outermost.id, reads)
    return reads
  }

  /** What one rule sees in one tree. */
  const forRule = (rule: FlowRule, code: string, tree: TreeFacts) => {
    const scopes = new Map<number, Scope>()
    const fileTests = new Map<RegExp, boolean>()
    const inFile = (pattern: RegExp): boolean => {
      const known = fileTests.get(pattern)
      if (known !== undefined) return known
      const found = pattern.test(code)
      fileTests.set(pattern, found)
      return found
    }
    const sanitizes = (callee: string) => syntax.sanitizers.test(callee) || rule.sanitizers?.test(callee) === true

    const lookup = (
      name: string,
      at: number,
      scope: Scope | undefined,
      node: Node,
      receiver: boolean
    ): Taint | undefined => {
      for (let current = scope; current !== undefined; current = current.parent) {
        // An enclosing function's or the module's names may be assigned after this one is written.
        const bindings = bindingsIn(current)
          .get(name)
          ?.filter((binding) => current !== scope || binding.after <= at)
        if (bindings !== undefined && bindings.length > 0) {
          const assigned = mergeAll(bindings.map((binding) => binding.taint))
          // Setting a parameter's field (`req.session.user = …`) leaves the rest of it as it came.
          const fieldsOnly = bindings.every((binding) => binding.field !== undefined)
          return fieldsOnly && current.parameters.has(name) ? merge(current.parameters.get(name), assigned) : assigned
        }
        if (current.parameters.has(name)) return current.parameters.get(name)
      }
      // A module, package or object named nowhere in the function is not data.
      if (receiver || constantName.test(name) || selfName.test(name)) return undefined
      // Java names its own fields without `this.`.
      if (
        syntax.bareFields === true &&
        isWritten(name, code, tree) &&
        memberWritesOf(name, node.tree.rootNode, code, tree).size > 0
      ) {
        const owner = ownerOf(node)
        const member = owner === undefined ? undefined : memberTaint(node, name, `${owner.type}.${name}`)
        if (member !== undefined) return member
      }
      return { origin: "value", built: false, source: placeOf(node), steps: [], head: undefined }
    }

    /** Whether `name` is a parameter or assigned in a function around `at`. */
    const isBound = (name: string, scope: Scope | undefined): boolean => {
      for (let current = scope; current !== undefined; current = current.parent) {
        if (current.parameters.has(name) || bindingsIn(current).has(name)) return true
      }
      return false
    }

    /** The head of the last assignment to `name` before `at`. */
    const headIn = (name: string, at: number, scope: Scope | undefined): string | undefined => {
      for (let current = scope; current !== undefined; current = current.parent) {
        const bindings = bindingsIn(current)
          .get(name)
          ?.filter((binding) => binding.after <= at)
        if (bindings !== undefined && bindings.length > 0) return bindings.at(-1)?.head
        if (current.parameters.has(name)) return undefined
      }
      return undefined
    }

    const headOf = (node: Node, at: number, scope: Scope | undefined): string | undefined => {
      if (syntax.strings.includes(node.type)) return stringHead(node)
      if (syntax.identifiers.includes(node.type)) return headIn(node.text, at, scope)
      if (syntax.building.includes(node.type)) {
        const first = node.namedChildren[0]
        if (node.type === "macro_invocation") {
          const tree = node.namedChildren.find((child) => child?.type === "token_tree")
          const literal = tree?.namedChildren[0]
          return literal === undefined || literal === null ? undefined : headOf(literal, at, scope)
        }
        return first === null || first === undefined ? undefined : headOf(first, at, scope)
      }
      // A list's head is its first item's: `["<ul>"]` joined still starts with `<ul>`.
      if (/^(array|list|array_expression|vec_macro)$/.test(node.type)) {
        const first = node.namedChildren[0]
        return first === null || first === undefined ? undefined : headOf(first, at, scope)
      }
      const parts = callParts(node)
      if (parts !== undefined && syntax.formatters.test(parts.callee)) {
        const receiver = parts.receiverNode
        const isString = receiver !== undefined && syntax.strings.includes(receiver.type)
        // A package (`fmt`, `strings`) is a name bound nowhere: its call starts with its first argument.
        const isData =
          receiver !== undefined &&
          !isString &&
          (!syntax.identifiers.includes(receiver.type) || isBound(receiver.text, scope))
        // `"-".join(items)` starts with the items, `items.join("-")` too, `"{}".format(x)` with its text.
        const first = isData ? receiver : isString && !/join$/.test(parts.name) ? receiver : parts.args[0]
        return first === undefined ? undefined : headOf(first, at, scope)
      }
      // `String::from("<p>")`, `new StringBuilder("SELECT")`, `"<p>".to_string()` start as their literal.
      const literal =
        parts?.args.length === 1 ? parts.args[0] : parts?.args.length === 0 ? parts.receiverNode : undefined
      if (literal !== undefined && syntax.strings.includes(literal.type)) return stringHead(literal)
      // A wrapper (`(x)`, `&x`, `x as T`, `a := x`'s list) starts as what it wraps.
      const inner = node.namedChildren[0]
      const wraps =
        node.namedChildCount === 1 || /^(as_expression|satisfies_expression|type_assertion)$/.test(node.type)
      return wraps && inner !== null && inner !== undefined ? headOf(inner, at, scope) : undefined
    }

    /**
     * The tokens of a macro's arguments that are values. A macro's arguments are tokens, not
     * calls: `ldap_escape(&uid)` inside `format!` is a name and a token tree, so a sanitiser's
     * name drops the tree after it, and a path's segments (`ldap3::`) are no values.
     */
    const tokenValues = (node: Node): ReadonlyArray<Node> => {
      const kept: Array<Node> = []
      let cleaned = false
      for (const child of node.namedChildren) {
        if (child === null) continue
        const called = cleaned && child.type === "token_tree"
        cleaned = false
        if (called) continue
        if (syntax.identifiers.includes(child.type)) {
          const next = child.nextSibling
          // `::` follows a path's segment; `.` comes before a field's or method's name; `=` after a
          // field's name (tracing's `user = %name`).
          if (next?.type === "::" || next?.type === "=" || child.previousSibling?.type === ".") continue
          if (next?.type === "token_tree" && sanitizes(child.text)) {
            cleaned = true
            continue
          }
          // `name.escape_debug()`: a sanitising method called on the name.
          const method = next?.type === "." ? next.nextSibling : null
          if (method?.nextSibling?.type === "token_tree" && sanitizes(`${child.text}.${method.text}`)) continue
        }
        kept.push(child)
      }
      return kept
    }

    const built = (taint: Taint | undefined, head: string | undefined): Taint | undefined =>
      taint === undefined ? undefined : { ...taint, built: true, head }

    /**
     * What each field of an object or dictionary literal holds, by key; undefined when a spread
     * (`...rest`, `**rest`) adds fields that cannot be named.
     */
    const fieldsOf = (node: Node, at: number, scope: Scope | undefined): Map<string, Taint | undefined> | undefined => {
      const body = recordBody(node)
      if (body === undefined) return undefined
      const fields = new Map<string, Taint | undefined>()
      for (const child of body.namedChildren) {
        if (child === null || child.type === "comment") continue
        // `{ filter }`, Rust's `Query { sql }`: the field holds the name's value.
        const shorthand = child.type === "shorthand_field_initializer" ? child.namedChildren[0] : child
        if (shorthand !== null && shorthand !== undefined && syntax.identifiers.includes(shorthand.type)) {
          fields.set(shorthand.text, taintOf(shorthand, at, scope))
          continue
        }
        // Rust's `..Default::default()` fills the other fields: clean ones add nothing.
        if (child.type === "base_field_initializer") {
          const base = child.namedChildren[0]
          if (base === null || base === undefined || taintOf(base, at, scope) === undefined) continue
          return undefined
        }
        const key = child.childForFieldName("key") ?? child.childForFieldName("field")
        const value = child.childForFieldName("value")
        if (key === null || value === null) return undefined
        fields.set(unquote(key.text), taintOf(value, at, scope))
      }
      return fields
    }

    /** `q.sql`, `q["sql"]`: the name read and the key, when the key is written out. */
    const fieldRead = (node: Node): { readonly name: string; readonly key: string } | undefined => {
      if (!accesses.includes(node.type)) return undefined
      const base =
        node.childForFieldName("object") ?? node.childForFieldName("value") ?? node.childForFieldName("operand")
      if (base === null || !syntax.identifiers.includes(base.type)) return undefined
      const named =
        node.childForFieldName("property") ?? node.childForFieldName("attribute") ?? node.childForFieldName("field")
      const indexed = node.childForFieldName("index") ?? node.childForFieldName("subscript")
      const key =
        named !== null
          ? named.text
          : indexed !== null && /^["'`][\w$-]*["'`]$/.test(indexed.text)
            ? unquote(indexed.text)
            : undefined
      return key === undefined ? undefined : { name: base.text, key }
    }

    /**
     * The taint of one field of a name bound to record literals, to clean values and by
     * assignments to its fields (`q.sql = …`). Undefined, so that the name is read whole, when a
     * binding holds data whose fields cannot be told apart, or the name is a parameter whose
     * fields only some assignments set.
     */
    const recordField = (
      name: string,
      key: string,
      at: number,
      scope: Scope | undefined
    ): { readonly taint: Taint | undefined } | undefined => {
      for (let current = scope; current !== undefined; current = current.parent) {
        const bindings = bindingsIn(current)
          .get(name)
          ?.filter((binding) => current !== scope || binding.after <= at)
        if (bindings !== undefined && bindings.length > 0) {
          const taints: Array<Taint | undefined> = []
          let whole = false
          for (const binding of bindings) {
            if (binding.field !== undefined) {
              if (binding.field.key === key) taints.push(binding.field.taint)
              continue
            }
            whole = true
            if (binding.fields !== undefined) taints.push(binding.fields.get(key))
            // A clean value has clean fields; a value with data has fields that cannot be told apart.
            else if (binding.taint !== undefined) return undefined
          }
          if (!whole && current.parameters.has(name)) return undefined
          return { taint: mergeAll(taints) }
        }
        if (current.parameters.has(name)) return undefined
      }
      return undefined
    }

    /** The functions of the file by name, for helpers called by a bare name; a name defined twice is left out. */
    const helperNamed = (name: string, root: Node): Node | undefined => {
      if (tree.helpers === undefined) {
        const found = new Map<string, Node>()
        const twice = new Set<string>()
        for (const fn of root.descendantsOfType([...functionTypes])) {
          if (fn === null) continue
          const own =
            fn.childForFieldName("name") ??
            (fn.parent?.type === "variable_declarator" ? fn.parent.childForFieldName("name") : null)
          if (own === null || !syntax.identifiers.includes(own.type)) continue
          if (found.has(own.text)) twice.add(own.text)
          found.set(own.text, fn)
        }
        for (const duplicate of twice) found.delete(duplicate)
        tree.helpers = found
      }
      return tree.helpers.get(name)
    }

    /** A function's parameters in order, each with the names it binds (one each for Go's `a, b string`). */
    const parameterSlots = (fn: Node): ReadonlyArray<ReadonlyArray<string>> => {
      const list = fn.childForFieldName("parameters") ?? fn.childForFieldName("parameter")
      if (list === null) return []
      if (syntax.identifiers.includes(list.type)) return [[list.text]]
      const slots: Array<ReadonlyArray<string>> = []
      for (const item of list.namedChildren) {
        if (item === null || item.type === "comment") continue
        const names = item.childrenForFieldName("name").filter((name): name is Node => name !== null)
        if (names.length > 1) {
          for (const name of names) slots.push([name.text])
          continue
        }
        const named = names[0] ?? item.childForFieldName("pattern") ?? item
        // `self` and `this` are the receiver, not an argument.
        if (selfName.test(named.text)) continue
        slots.push(namesIn(named))
      }
      return slots
    }

    /** Helpers being read, so that a recursive one ends. */
    const reading = new Set<number>()

    /**
     * What a call of a function of the same file returns: its body read with the parameters bound
     * to the call's arguments, so `build(req.query.id)` is as built as `build`'s `"…" + id`, and a
     * helper that returns only literals is clean. Undefined when the callee is no such function
     * (or returns nothing the grammar marks, as Rust's last expression): the call is then read as
     * carrying its arguments.
     */
    const helperResult = (
      call: Node,
      parts: CallParts,
      at: number,
      scope: Scope | undefined
    ): { readonly taint: Taint | undefined } | undefined => {
      if (parts.receiver !== "" || reading.size >= 3) return undefined
      const root = call.tree.rootNode
      const fn = helperNamed(parts.name, root)
      if (fn === undefined || reading.has(fn.id)) return undefined
      const body = fn.childForFieldName("body") ?? fn
      const nested = body.descendantsOfType([...functionTypes]).flatMap((inner) => (inner === null ? [] : [inner]))
      const returned = body
        .descendantsOfType(returnTypes)
        .flatMap((statement) =>
          statement === null ||
          nested.some((inner) => statement.startIndex >= inner.startIndex && statement.endIndex <= inner.endIndex)
            ? []
            : [statement.namedChildren[0]]
        )
        .filter((value): value is Node => value !== null && value !== undefined)
      const blockBody = body.namedChildren.some((child) => child !== null && /statement|declaration/.test(child.type))
      const values = returned.length > 0 ? returned : blockBody || body.id === fn.id ? [] : [body]
      if (values.length === 0) return undefined
      const parameters = new Map<string, Taint | undefined>()
      parameterSlots(fn).forEach((names, index) => {
        const arg = parts.args[index]
        const taint = arg === undefined ? undefined : taintOf(arg, at, scope)
        for (const name of names) parameters.set(name, taint)
      })
      const helperScope: Scope = {
        fn,
        body,
        parent: scopeOf(enclosingFunction(fn), root),
        parameters,
        bindings: new Map(),
        loaded: false
      }
      reading.add(fn.id)
      try {
        return { taint: mergeAll(values.map((value) => taintOf(value, value.startIndex, helperScope))) }
      } finally {
        reading.delete(fn.id)
      }
    }

    /** Whether a value's head is the one its taint carries: a record's fields', a helper's return's. */
    const keepsHead = (value: Node): boolean => {
      if (recordBody(value) !== undefined) return true
      const parts = callParts(value)
      return parts !== undefined && parts.receiver === "" && helperNamed(parts.name, value.tree.rootNode) !== undefined
    }

    /**
     * What a field of the owner's type holds when some function of the file fills it from a
     * request: `this.cmd = req.query.cmd` in a handler, Go's `&Job{Name: r.FormValue("name")}`,
     * Rust's `Job { name: params.name }`. Only request data counts: a field set from the
     * environment is configuration, set once, and a value of unknown origin is no finding; a
     * field read in a type other than the one it was set for is another field. Each key is
     * read once per rule and tree; a key being read is clean to itself, so a cycle ends.
     */
    const members = new Map<string, Taint | undefined>()
    const membersBeingRead = new Set<string>()
    const memberTaint = (node: Node, name: string, key: string | undefined): Taint | undefined => {
      if (key === undefined) return undefined
      const writes = memberWritesOf(name, node.tree.rootNode, code, tree).get(key)
      if (writes === undefined || membersBeingRead.has(key)) return undefined
      if (members.has(key)) return members.get(key)
      membersBeingRead.add(key)
      let found: Taint | undefined
      try {
        for (const write of writes) {
          if (!mayReadRequest(write.node, code, tree)) continue
          const scope = scopeOf(enclosingFunction(write.node), node.tree.rootNode)
          const taint =
            write.value !== undefined
              ? taintOf(write.value, write.node.startIndex, scope)
              : fieldsOf(write.node, write.node.startIndex, scope)?.get(write.field)
          if (taint === undefined || taint.origin !== "request") continue
          const step = placeOf(write.node)
          found = merge(found, taint.source.line === step.line ? taint : { ...taint, steps: [...taint.steps, step] })
        }
      } finally {
        membersBeingRead.delete(key)
      }
      members.set(key, found)
      return found
    }

    const taintOf = (node: Node, at: number, scope: Scope | undefined, receiver = false): Taint | undefined => {
      const type = node.type
      if (functionTypes.includes(type)) return undefined
      if (syntax.identifiers.includes(type)) return lookup(node.text, at, scope, node, receiver)
      // A macro's format string reads the names it captures: Rust's `format!("… {id}")`.
      if (syntax.macros !== undefined && syntax.strings.includes(type) && node.parent?.type === "token_tree") {
        const captured = node.text.replace(/\{\{|\}\}/g, "").matchAll(/\{([A-Za-z_]\w*)(?::[^}]*)?\}/g)
        return mergeAll(Array.from(captured, (match) => lookup(match[1] ?? "", at, scope, node, false)))
      }
      const parts = callParts(node)
      if (parts !== undefined && sanitizes(parts.callee)) return undefined
      if (parts !== undefined) {
        const helper = helperResult(node, parts, at, scope)
        if (helper !== undefined) return helper.taint
      } else if (recordBody(node) !== undefined) {
        // A record used whole is its text fields: `{ text, values }` is its text.
        const fields = fieldsOf(node, at, scope)
        if (fields !== undefined)
          return mergeAll([...fields].filter(([key]) => !boundFields.test(key)).map(([, taint]) => taint))
      } else if (accesses.includes(type)) {
        const read = fieldRead(node)
        const field = read === undefined ? undefined : recordField(read.name, read.key, at, scope)
        if (field !== undefined) return field.taint
        // A field no assignment here explains: what another method of its type filled it with.
        const named = lastName.exec(node.text)?.[1]
        const member =
          named !== undefined &&
          isWritten(named, code, tree) &&
          memberWritesOf(named, node.tree.rootNode, code, tree).size > 0
            ? memberTaint(node, named, memberKey(node))
            : undefined
        if (member !== undefined) return member
      }
      const inner =
        parts === undefined
          ? mergeAll(
              (type === "token_tree" ? tokenValues(node) : partsOf(node)).map((child) =>
                taintOf(child, at, scope, receiver)
              )
            )
          : mergeAll([
              parts.receiverNode === undefined ? undefined : taintOf(parts.receiverNode, at, scope, true),
              ...parts.args.map((arg) => taintOf(arg, at, scope))
            ])
      // The smallest expression that reads a source is the source: `request.args`, not the call around it.
      if (inner === undefined || inner.origin === "value") {
        const source = sourceOf(node, parts)
        if (source !== undefined)
          return { origin: source, built: false, source: placeOf(node), steps: [], head: undefined }
      }
      if (parts !== undefined)
        return syntax.formatters.test(parts.callee) ? built(inner, headOf(node, at, scope)) : inner
      return syntax.building.includes(type) ? built(inner, headOf(node, at, scope)) : inner
    }

    const bind = (
      scope: Scope,
      name: string,
      after: number,
      taint: Taint | undefined,
      head: string | undefined,
      fields?: ReadonlyMap<string, Taint | undefined>
    ) => {
      const list = scope.bindings.get(name) ?? []
      list.push({ after, taint: taint === undefined ? undefined : { ...taint, head }, head, fields })
      scope.bindings.set(name, list)
    }

    /**
     * Binds what one field of a name holds from `after` on. The name read whole carries it too,
     * but for a field of bound values (`q.args`), as a record literal used whole does not.
     */
    const bindField = (
      scope: Scope,
      name: string,
      key: string,
      after: number,
      taint: Taint | undefined,
      head: string | undefined
    ) => {
      const held = taint === undefined ? undefined : { ...taint, head }
      const list = scope.bindings.get(name) ?? []
      list.push({
        after,
        taint: boundFields.test(key) ? undefined : held,
        head: undefined,
        field: { key, taint: held, head }
      })
      scope.bindings.set(name, list)
    }

    /** The head of the last value given to one field of `name` before `at`, clean or not: `+=` keeps it. */
    const fieldHead = (name: string, key: string, at: number, scope: Scope | undefined): string | undefined => {
      for (let current = scope; current !== undefined; current = current.parent) {
        const bindings = bindingsIn(current)
          .get(name)
          ?.filter((binding) => binding.after <= at && (binding.field === undefined || binding.field.key === key))
        const last = bindings?.at(-1)
        if (last !== undefined) return last.field?.head ?? last.fields?.get(key)?.head
        if (current.parameters.has(name)) return undefined
      }
      return undefined
    }

    /** The root name of a receiver chain: `sb` of `sb.append(a).append`. */
    const rootName = (node: Node | undefined): string | undefined => {
      let current: Node | null | undefined = node
      while (current !== null && current !== undefined) {
        if (syntax.identifiers.includes(current.type)) return current.text
        current = callParts(current)?.receiverNode ?? current.namedChildren[0]
      }
      return undefined
    }

    /** Binds the names an assignment (or a loop header) targets to what its value carries. */
    const assign = (child: Node, fields: { readonly target: string; readonly value: string }, scope: Scope) => {
      const target = child.childForFieldName(fields.target)
      const value = child.childForFieldName(fields.value)
      if (target === null || value === null) return
      const taint = taintOf(value, child.startIndex, scope)
      const step = placeOf(child)
      const carried =
        taint === undefined || taint.source.line === step.line ? taint : { ...taint, steps: [...taint.steps, step] }
      // `+=` appends: the value keeps the head it had.
      const appends = /augmented|compound/.test(child.type) || child.childForFieldName("operator")?.text === "+="
      // `q.sql = …` sets one field of `q`: `q.args` keeps what it held.
      const field = fieldRead(single(target))
      if (field !== undefined) {
        const head = appends
          ? fieldHead(field.name, field.key, child.startIndex, scope)
          : (headOf(value, child.startIndex, scope) ?? (keepsHead(value) ? taint?.head : undefined))
        const held = carried === undefined ? undefined : { ...carried, built: carried.built || appends }
        bindField(scope, field.name, field.key, value.endIndex, held, head)
        return
      }
      const names = namesIn(target)
      // A record assigned to one name keeps what each field holds: `q.sql` is then read apart from `q.values`.
      const recordFields = !appends && names.length === 1 ? fieldsOf(single(value), child.startIndex, scope) : undefined
      const carriedFields =
        recordFields === undefined
          ? undefined
          : new Map(
              [...recordFields].map(([key, field]) => [
                key,
                field === undefined || field.source.line === step.line
                  ? field
                  : { ...field, steps: [...field.steps, step] }
              ])
            )
      for (const name of names) {
        // A record or a helper's result has no head of its own; it keeps the one its value was built with.
        const head = appends
          ? headIn(name, child.startIndex, scope)
          : (headOf(value, child.startIndex, scope) ?? (keepsHead(value) ? taint?.head : undefined))
        bind(
          scope,
          name,
          value.endIndex,
          appends && carried !== undefined ? { ...carried, built: true } : carried,
          head,
          carriedFields
        )
      }
    }

    /** Records a builder call's argument into the name it builds: `sb.append(x)`, `parts.push(x)`. */
    /** Binds the names a filler call is given by address to what the call carries: `Decode(&body)`. */
    const fill = (call: Node, parts: CallParts, scope: Scope) => {
      const filled = parts.args.flatMap((arg) => {
        const operand = arg.type === "unary_expression" && arg.text.startsWith("&") ? arg.namedChildren[0] : undefined
        return operand !== undefined && operand !== null && syntax.identifiers.includes(operand.type) ? [operand] : []
      })
      if (filled.length === 0) return
      const taint = taintOf(call, call.startIndex, scope)
      if (taint === undefined || taint.origin === "value") return
      const step = placeOf(call)
      const steps = taint.source.line === step.line ? taint.steps : [...taint.steps, step]
      for (const name of filled) bind(scope, name.text, call.endIndex, { ...taint, steps }, undefined)
    }

    const build = (call: Node, scope: Scope) => {
      const parts = callParts(call)
      if (parts !== undefined && syntax.fillers?.test(parts.callee) === true) return fill(call, parts, scope)
      if (parts === undefined || !syntax.builders.test(parts.name) || parts.receiverNode === undefined) return
      const name = rootName(parts.receiverNode)
      if (name === undefined) return
      const added = mergeAll(parts.args.map((arg) => taintOf(arg, call.startIndex, scope)))
      if (added === undefined) return
      const step = placeOf(call)
      const steps = added.source.line === step.line ? added.steps : [...added.steps, step]
      // `q.sql.push_str(x)`, `q.sb.WriteString(x)` build one field of `q`.
      const field = fieldRead(parts.receiverNode)
      if (field !== undefined) {
        const head = fieldHead(field.name, field.key, call.startIndex, scope)
        bindField(scope, field.name, field.key, call.endIndex, { ...added, built: true, steps }, head)
        return
      }
      bind(scope, name, call.endIndex, { ...added, built: true, steps }, headIn(name, call.startIndex, scope))
    }

    /**
     * Records the assignments and builder calls of a function's body, in order, nested functions
     * aside. One `descendantsOfType` call gets them all: far fewer crossings into the parser than
     * a walk of every node.
     */
    const readFunction = (body: Node, scope: Scope) => {
      // Both lists come in document order, so one sweep tells which nodes lie in a nested
      // function: the furthest end of the functions started so far covers the node or none
      // does (functions nest or are apart). Testing each node against every nested function
      // was quadratic in a long function full of callbacks: 1.2 s for 4,000 lines.
      const nested = body
        .descendantsOfType([...functionTypes])
        .flatMap((fn) => (fn === null ? [] : [{ start: fn.startIndex, end: fn.endIndex }]))
      let next = 0
      let coveredTo = -1
      const inNested = (start: number, end: number) => {
        for (let fn = nested[next]; fn !== undefined && fn.start <= start; fn = nested[++next]) {
          coveredTo = Math.max(coveredTo, fn.end)
        }
        return end <= coveredTo
      }
      for (const node of body.descendantsOfType([...Object.keys(syntax.assignments), ...Object.keys(syntax.calls)])) {
        if (node === null || inNested(node.startIndex, node.endIndex)) continue
        const assignment = syntax.assignments[node.type]
        if (assignment !== undefined) assign(node, assignment, scope)
        else build(node, scope)
      }
    }

    /** Records the assignments and builder calls of the module's top levels, in order. */
    const read = (node: Node, scope: Scope, depth: number) => {
      if (depth === 0) return
      for (const child of node.namedChildren) {
        if (child === null || functionTypes.includes(child.type)) continue
        const assignment = syntax.assignments[child.type]
        // An assignment binds before its subtree is read: a loop's variable is bound in its body.
        if (assignment !== undefined) assign(child, assignment, scope)
        read(child, scope, depth - 1)
        if (assignment === undefined) build(child, scope)
      }
    }

    const scopeOf = (fn: Node | undefined, root: Node): Scope | undefined => {
      const node = fn ?? root
      const known = scopes.get(node.id)
      if (known !== undefined) return known
      const parent = fn === undefined ? undefined : scopeOf(enclosingFunction(fn), root)
      const scope: Scope = {
        fn: node,
        body: fn === undefined ? root : (fn.childForFieldName("body") ?? fn),
        parent,
        parameters: fn === undefined ? new Map() : parametersOf(fn, code),
        bindings: new Map(),
        loaded: false
      }
      scopes.set(node.id, scope)
      return scope
    }

    /** The assignments of a scope, read on first use. */
    const bindingsIn = (scope: Scope): Map<string, Array<Binding>> => {
      if (!scope.loaded) {
        scope.loaded = true
        // A module's own names are declared at its top (or in a class's fields): a few levels suffice.
        if (scope.body.parent === null) read(scope.body, scope, 4)
        else readFunction(scope.body, scope)
      }
      return scope.bindings
    }

    const reportable = (taint: Taint | undefined): taint is Taint =>
      taint !== undefined &&
      (taint.origin !== "value" || rule.unknown === true || (rule.built && taint.built)) &&
      !(rule.safeHead !== undefined && taint.head !== undefined && rule.safeHead.test(taint.head)) &&
      (rule.head === undefined || (taint.head !== undefined && rule.head.test(taint.head)))

    /** The finding at `call`, if the argument the rule watches carries a reportable value. */
    const check = (call: Node, parts: CallParts, root: Node): QualityIssue | undefined => {
      for (const sink of rule.sinks) {
        if (!sink.name.test(parts.name)) continue
        if ((sink.macro === true) !== (call.type === syntax.macros)) continue
        if (sink.receiver !== undefined && !sink.receiver.test(parts.receiver)) continue
        if (sink.receiverDeclared !== undefined && !receiverDeclared(sink.receiverDeclared, parts, call, root)) continue
        if (sink.when !== undefined && !sink.when.test(call.text)) continue
        if (sink.unless?.test(call.text)) continue
        if (sink.file !== undefined && !inFile(sink.file)) continue
        const watched =
          sink.argument === "any"
            ? parts.args
            : sink.argument === "receiver"
              ? [parts.receiverNode]
              : [parts.args[sink.argument] ?? keywordArgument(call, sink)]
        const fn = enclosingFunction(call)
        const scope = scopeOf(fn, root)
        const taint = mergeAll(
          watched.map((arg) => (arg === undefined ? undefined : taintOf(arg, call.startIndex, scope)))
        )
        if (!reportable(taint)) continue
        if (sink.head !== undefined && (taint.head === undefined || !sink.head.test(taint.head))) continue
        if (rule.guard?.test((fn ?? root).text)) continue
        if (rule.within !== undefined && !rule.within.test((fn ?? root).text)) continue
        return issueAt(call, parts, watched, taint)
      }
      return undefined
    }

    /** Whether the receiver is a name declared or assigned, in the call's function, as `pattern` says. */
    const receiverDeclared = (pattern: RegExp, parts: CallParts, call: Node, root: Node): boolean => {
      const receiver = parts.receiverNode
      if (receiver === undefined || !syntax.identifiers.includes(receiver.type)) return false
      return (enclosingFunction(call) ?? root).descendantsOfType(Object.keys(syntax.assignments)).some((node) => {
        const target = node === null ? null : node.childForFieldName(syntax.assignments[node.type]?.target ?? "")
        // The declaration's type sits on the declarator's parent (`Request.Builder b = …;`).
        return target?.text === receiver.text && pattern.test(node?.parent?.text ?? "")
      })
    }

    /** The value of the argument a sink names by keyword: `url=target`. */
    const keywordArgument = (call: Node, sink: Sink): Node | undefined => {
      const fields = syntax.calls[call.type]
      if (sink.keyword === undefined || fields === undefined) return undefined
      const argument = call
        .childForFieldName(fields.args)
        ?.namedChildren.find(
          (arg) => arg?.type === "keyword_argument" && arg.childForFieldName("name")?.text === sink.keyword
        )
      return argument?.childForFieldName("value") ?? undefined
    }

    const issueAt = (call: Node, parts: CallParts, watched: ReadonlyArray<Node | undefined>, taint: Taint) => {
      const what =
        taint.origin === "request" ? "request data" : taint.origin === "environment" ? "the environment" : "a value"
      const argument = shorten(watched.map((arg) => arg?.text ?? "").join(", "))
      // A chain laid out over lines (`ldap\n    .search`) is named as one.
      const callee = shorten(parts.callee.replace(/\s+(?=\??\.)/g, ""))
      const through =
        taint.steps.length === 0 ? "" : `, through line ${taint.steps.map((step) => step.line).join(", ")}`
      return new QualityIssue({
        severity: rule.severity,
        category: rule.category,
        rule: rule.id,
        message: `${rule.message}: \`${argument}\` passed to ${callee} comes from ${what} \`${taint.source.code}\` (line ${taint.source.line}${through})`,
        line: call.startPosition.row + 1,
        column: call.startPosition.column + 1,
        tool: toolName,
        fix: rule.fix,
        cwe: rule.cwe,
        level: rule.injection && taint.origin === "request" ? "critical" : "high",
        sink: call.startPosition.row + 1,
        flow: [
          new FlowStep({ role: "source", ...{ line: taint.source.line, code: taint.source.code } }),
          ...taint.steps.map((step) => new FlowStep({ role: "propagation", line: step.line, code: step.code }))
        ]
      })
    }

    return { check }
  }

  /**
   * Where the code names a sink and calls it: a scan of the text, far cheaper than a query over
   * every call of the tree; each hit is confirmed on the tree.
   */
  const sinkNames = new RegExp(
    `(?<![\\w$])(?:${rules.flatMap((rule) => rule.sinks.flatMap((sink) => (sink.name.test("return") ? [] : [sink.name.source.replace(/^\^/, "").replace(/\$$/, "")]))).join("|")})(?=${syntax.macros === undefined ? "" : "!?"}\\s*(?:::<[^>]*>\\s*)?\\()`,
    "g"
  )
  const returns = rules.some((rule) => rule.sinks.some((sink) => sink.name.test("return")))

  /** A macro's parts: its name, the path before it, and its token tree as its one argument. */
  const macroParts = (node: Node): CallParts | undefined => {
    const macro = node.childForFieldName("macro")
    const tokens = node.namedChildren.find((child) => child?.type === "token_tree")
    if (macro === null || tokens === undefined || tokens === null) return undefined
    const name = lastName.exec(macro.text)?.[1] ?? ""
    const receiver = macro.text.slice(0, macro.text.length - name.length).replace(/::\s*$/, "")
    return { name, receiver, callee: macro.text, receiverNode: undefined, args: [tokens] }
  }

  /** The call a sink's name found in the text belongs to, with its parts: read once for every rule. */
  const callNamed = (root: Node, start: number, name: string): { call: Node; parts: CallParts } | undefined => {
    let node: Node | null = root.descendantForIndex(start, start + name.length)
    for (let depth = 0; node !== null && depth < 4; depth++, node = node.parent) {
      if (node.type === syntax.macros) {
        const parts = macroParts(node)
        return parts?.name === name ? { call: node, parts } : undefined
      }
      if (syntax.calls[node.type] === undefined) continue
      const parts = callParts(node)
      return parts?.name === name ? { call: node, parts } : undefined
    }
    return undefined
  }

  /** The flow findings in a tree. */
  return (root: Node, code: string): ReadonlyArray<QualityIssue> => {
    const tree: TreeFacts = {
      helpers: undefined,
      members: new Map(),
      written: undefined,
      requestFunctions: new Map()
    }
    const checkers = rules.map((rule) => forRule(rule, code, tree))
    const found: Array<QualityIssue> = []
    const calls = new Set<number>()
    for (const hit of code.matchAll(sinkNames)) {
      const named = callNamed(root, hit.index, hit[0])
      if (named === undefined || calls.has(named.call.id)) continue
      calls.add(named.call.id)
      for (const checker of checkers) {
        const issue = checker.check(named.call, named.parts, root)
        if (issue !== undefined) found.push(issue)
      }
    }
    // A returned value, for the rules with a `return` sink.
    for (const hit of returns ? code.matchAll(/(?<![\w$])return\b/g) : []) {
      const statement = root.descendantForIndex(hit.index, hit.index + 6)?.parent
      const value = statement?.namedChildren[0]
      if (statement === null || statement === undefined || !returnTypes.includes(statement.type)) continue
      if (value === null || value === undefined) continue
      const parts = { name: "return", receiver: "", callee: "return", receiverNode: undefined, args: [value] }
      for (const checker of checkers) {
        const issue = checker.check(statement, parts, root)
        // `return make_response(html)`: the call is the finding already.
        if (issue !== undefined && !found.some((known) => known.rule === issue.rule && known.line === issue.line))
          found.push(issue)
      }
    }
    return found
  }
}
