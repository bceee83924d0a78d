/**
 * A rule is data: what it reports (id, message, severity, CWE, fix hint) beside a tree-sitter
 * query that finds it. Queries are S-expressions with `#match?` / `#eq?` predicates; tree-sitter
 * has no descendant operator, so "inside a loop" and "inside an async function" are said with
 * `inside`, a second query whose `@scope` captures are the regions a match must lie in.
 */
import type { SecurityLevel, Severity } from "../../../core/domain/Quality.ts"
import type { Grammar } from "./Grammar.ts"

/** One query-based security or performance rule. */
export interface Rule {
  /** `<language>/<name>`, stable: it is the issue's `rule`. */
  readonly id: string
  readonly message: string
  readonly severity: Severity
  readonly category: "security" | "performance"
  /** `CWE-78`. */
  readonly cwe?: string
  readonly level?: SecurityLevel
  /** What to do instead; it becomes the issue's `fix` and a suggestion. */
  readonly fix: string
  /** The tree-sitter query; each match is one finding. */
  readonly query: string
  /** The capture whose node is the finding's position: `match` by default, else the match's first capture. */
  readonly capture?: string
  /**
   * A query whose `@scope` captures bound where a match counts: the marked node must lie in a
   * scope with no function boundary between them (a callback defined in a loop is not the loop).
   */
  readonly inside?: string
  /**
   * Text that any code the rule matches contains (`/\beval\b/`): a file without it skips the
   * rule, which is then neither compiled nor run. Query compilation is costly in large grammars
   * and most security rules look for a name most files never mention. It must follow from the
   * query's own predicates; without it, the rule runs on every file. No `g` or `y` flag.
   */
  readonly when?: RegExp
  /**
   * For a rule whose query ties calls to one receiver (`(#eq? @list @target)`): groups of member
   * names, each of which one plain name must be the receiver of somewhere in the file
   * (`[["includes", "indexOf"], ["push"]]`: some `seen.includes` or `seen.indexOf`, and `seen.push`).
   * Read after `when` passes, in one pass over the text per group; a file that fails it skips the
   * rule as for `when`. It must follow from the query, as `when` must (a comment between a name and
   * its `.` is the one spelling it does not read).
   */
  readonly sameReceiver?: ReadonlyArray<ReadonlyArray<string>>
}

/**
 * Where a value reaches a dangerous call: the call's last name, its receiver, the argument that
 * matters. A sink named `return` is the value a function returns (a Flask view's `str` is sent as
 * HTML, a Spring controller's `String` is a view name); its argument is 0.
 */
export interface Sink {
  /** The callee's last name (`execute`, `Command`, `arg`); for a constructor, its type. */
  readonly name: RegExp
  /** A macro (Rust's `info!`), whose one argument is its token tree; other sinks match no macro. */
  readonly macro?: boolean
  /** The callee's text before that name (`subprocess`, `Runtime.getRuntime()`); any receiver without it. */
  readonly receiver?: RegExp
  /**
   * For a receiver that is a plain name: the text its declaration or an assignment to it in the
   * same function must match (`Request.Builder b = …`, `b = new Request.Builder()`).
   */
  readonly receiverDeclared?: RegExp
  /** The argument the data arrives in, 0-based, or every argument, or the receiver (`url.openStream()`). */
  readonly argument: number | "any" | "receiver"
  /** The same argument passed by name (Python's `RedirectResponse(url=target)`). */
  readonly keyword?: string
  /** The literal text the value must start with at this sink (a Spring view named `redirect:…`). */
  readonly head?: RegExp
  /** The whole call's text must match (`shell=True`, `Command::new("sh")`). */
  readonly when?: RegExp
  /** The whole call's text must not match (a parameter tuple, `Loader=SafeLoader`). */
  readonly unless?: RegExp
  /**
   * Text the file must contain, for a method named too commonly to be told apart by its receiver
   * (`node.SelectElement(expr)` is an XPath only where antchfx/xmlquery is imported).
   */
  readonly file?: RegExp
}

/**
 * A data-flow security rule: a value from a request, the environment or argv (or, with
 * `built`, any value assembled from a non-literal part) that reaches one of `sinks` inside the
 * same function, passing through assignments, `+=`, concatenation, formatting, interpolation and
 * builders. The finding is at the sink and names the value and the line it came from.
 */
export interface FlowRule {
  readonly id: string
  /** What reaching the sink means: "reaches a SQL query". */
  readonly message: string
  readonly severity: Severity
  readonly category: "security"
  readonly cwe: string
  /** Code, command or SQL injection: critical when the value comes from a request, high otherwise. */
  readonly injection: boolean
  /** The level of a finding whose value comes from a request (the highest it reports). */
  readonly level: SecurityLevel
  readonly fix: string
  readonly sinks: ReadonlyArray<Sink>
  /** Whether a value built from any non-literal part counts without a known source. */
  readonly built: boolean
  /**
   * Whether a value of unknown origin counts as it is (a parameter, a name bound nowhere): a
   * shell or `eval` runs whatever its caller passes. A literal or a constant never counts.
   */
  readonly unknown?: boolean
  /** Callees whose result is clean for this rule (`shlex.quote`, `int`, `encodeURIComponent`). */
  readonly sanitizers?: RegExp
  /** A check in the function's text that makes the flow safe (`startsWith(base)` after resolving). */
  readonly guard?: RegExp
  /** Text the function must contain for the flow to count (credentials allowed beside an echoed origin). */
  readonly within?: RegExp
  /** The literal text a built value starts with that makes it safe (a fixed scheme and host). */
  readonly safeHead?: RegExp
  /** The literal text a built value must start with to count (`<` for HTML). */
  readonly head?: RegExp
}

/** The node types and fields of a grammar that the data-flow analysis reads. */
export interface FlowSyntax {
  /** Call node types: the callee field (or the name and receiver fields) and the arguments field. */
  readonly calls: Readonly<
    Record<
      string,
      { readonly callee?: string; readonly name?: string; readonly receiver?: string; readonly args: string }
    >
  >
  /** Assignment node types (`=`, `+=`, declarations): the target and value fields. */
  readonly assignments: Readonly<Record<string, { readonly target: string; readonly value: string }>>
  /** Node types that are a variable's name. */
  readonly identifiers: ReadonlyArray<string>
  /** Node types that build a string from their parts: concatenation, interpolation, `format!`. */
  readonly building: ReadonlyArray<string>
  /** Node types of a literal string, whose text is the head of a value built from it. */
  readonly strings: ReadonlyArray<string>
  /** Callees that format a string from their arguments (`fmt.Sprintf`, `String.format`, `.join`). */
  readonly formatters: RegExp
  /** Methods that add their argument to their receiver (`append`, `WriteString`, `push_str`). */
  readonly builders: RegExp
  /** Text of an expression that reads request data; the `environment` one reads the environment or argv. */
  readonly requestSource: RegExp
  readonly environmentSource: RegExp
  /** A parameter's text that makes it request data (`*http.Request`, `@RequestParam`). */
  readonly requestParameter: RegExp
  /** Text before a function's parameters (decorators, annotations) that makes every parameter request data. */
  readonly handler?: RegExp
  /** A parameter list that makes every parameter request data (a Django view's leading `request`). */
  readonly handlerParameters?: RegExp
  /** Callees whose result is clean for every rule: conversions to numbers and booleans. */
  readonly sanitizers: RegExp
  /**
   * Callees that write what they read into the names passed by address (`c.ShouldBindJSON(&req)`,
   * `json.NewDecoder(r.Body).Decode(&body)`): each such name then holds what the call carries.
   */
  readonly fillers?: RegExp
  /** Whether a method names its type's fields bare (Java's `cmd` for `this.cmd`). */
  readonly bareFields?: boolean
  /** The node type of a macro call (Rust's `macro_invocation`), for sinks that are macros. */
  readonly macros?: string
}

/** The rules of one language and what the engine needs to know of its grammar. */
export interface RuleSet {
  /** The language the rules are written for (the rules' id prefix). */
  readonly language: string
  /** The grammars the queries compile against: `typescript`, `tsx` and `javascript` share node names. */
  readonly grammars: ReadonlyArray<Grammar>
  /** Node types that start a new function body: the boundary for `inside`. */
  readonly functionTypes: ReadonlyArray<string>
  readonly rules: ReadonlyArray<Rule | FlowRule>
  /** What the data-flow rules need of the grammar; a set with flow rules has it. */
  readonly flow?: FlowSyntax
}

/** Whether a rule is a data-flow rule. */
export const isFlowRule = (rule: Rule | FlowRule): rule is FlowRule => "sinks" in rule

/** A data-flow security rule. */
export const flow = (rule: Omit<FlowRule, "category" | "severity" | "level">): FlowRule => ({
  ...rule,
  category: "security",
  severity: "error",
  level: rule.injection ? "critical" : "high"
})

/** Query text as written: backslashes stay, so `#match?` patterns read as in a query file. */
export const q = String.raw

/** A regular expression as a query string for `#match?`, written as a regex literal so that it is read and checked as one. */
export const re = (pattern: RegExp): string => JSON.stringify(pattern.source)

/** A security rule. */
export const security = (rule: Omit<Rule, "category">): Rule => ({ ...rule, category: "security" })

/** A performance rule: a warning. */
export const performance = (rule: Omit<Rule, "category" | "severity">): Rule => ({
  ...rule,
  category: "performance",
  severity: "warning"
})
