/**
 * Rules about regular expressions, judged from the pattern's text: shapes that backtrack
 * exponentially (medium), shapes a reviewer should check for bounded input (low, the same
 * star-height and alternation heuristic as eslint-plugin-security's `detect-unsafe-regex`), and
 * patterns compiled from values built at run time (low, its `detect-non-literal-regexp`). The low
 * rules make our findings a superset of that plugin's, at a level that does not block a commit.
 */
import { q, type Rule, re, security } from "../../quality/tree-sitter/Rule.ts"

/** One atom of a pattern: an escape, a character class, or a plain character. */
const atom = String.raw`(?:\\.|\[(?:\\.|[^\]\\])*\]|[^()\\[|?*+{])`
/** A quantifier: `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`, lazy or not. */
const quantifier = String.raw`(?:[?*+]|\{\d+(?:,\d*)?\})\??`
/** A group's opening: capturing, non-capturing, lookaround or named; an escaped `\(` is an atom. */
const open = String.raw`(?<!\\)\((?:\?(?::|<?[=!]|<\w+>))?`
/** A group with no group inside, and one of those that holds a quantifier. */
const innerGroup = `${open}(?:${atom}|\\||${quantifier})*\\)`
const quantifiedInside = `${open}(?:${atom}|\\||${quantifier})*?${quantifier}(?:${atom}|\\||${quantifier})*\\)`
const item = `(?:${atom}|${innerGroup}|\\||${quantifier})`
/** A quantified group that holds a quantifier (star height two, two levels of groups deep). */
const starHeight = `${open}${item}*?(?:${atom}${quantifier}|${quantifiedInside}|${innerGroup}${quantifier})${item}*\\)${quantifier}`
/** A group of alternatives repeated without bound: each repetition may try every branch. */
const repeatedAlternation = `${open}(?:${atom}|${innerGroup}|${quantifier})*?\\|${item}*\\)(?:[*+]|\\{\\d+,)`
const backtracking = re(new RegExp(`${starHeight}|${repeatedAlternation}`))

/**
 * A repeated group whose body is one quantified atom among optional ones: `(a+)+`, `(\w+\s?)*`,
 * `(?:\s*\w+)*`, `(.*)*`, `(x+){2,}`, where the repetitions can split the input in exponentially
 * many ways. A mandatory separator (`(\d+\.)+`, `(_[A-Z]+)+`) makes the split unique: not matched.
 * Escaped parentheses and character classes are read as atoms.
 */
const nestedQuantifier = re(
  /(^|[^\\])\((\?(:|<?[=!]|<\w+>))?((\\.|\[(\\.|[^\]\\])*\]|[^()\\[|?*+{])[?*]\??)*(\\.|\[(\\.|[^\]\\])*\]|[^()\\[|?*+{])[+*]\??((\\.|\[(\\.|[^\]\\])*\]|[^()\\[|?*+{])[?*]\??)*\)([+*]|\{\d+,)/
)
/**
 * A repeated group of one-atom alternatives of which two match the same character: `(\w|\d)+`,
 * `(.|\s)*`, `(?:\w|_)+`. Disjoint branches (`(?:[^"\\]|\\.)*`, `(.|\n)*`, `(\d|,)+`) are not matched.
 */
const overlappingAlternation = re(
  /(^|[^\\])((?=[^)]*[(:|](\.|\\S)[|)])(?=[^)]*[(:|](\\[swdWD]|\w)[|)])|(?=[^)]*[(:|]\\w[|)])(?=[^)]*[(:|](\\d|\w)[|)]))\((\?:)?(\\.|\[(\\.|[^\]\\])*\]|[^()\\[|?*+{}])(\|(\\.|\[(\\.|[^\]\\])*\]|[^()\\[|?*+{}]))+\)([*+]|\{\d+,)/
)

/** A pattern given to `new RegExp(…)` or `RegExp(…)` as a string literal or a template without `${…}`. */
const literalPattern = (predicates: string) =>
  q`((new_expression constructor: (identifier) @ctor arguments: (arguments . [(string) (template_string)] @match))
      (#eq? @ctor "RegExp") ${predicates})
    ((call_expression function: (identifier) @ctor arguments: (arguments . [(string) (template_string)] @match))
      (#eq? @ctor "RegExp") ${predicates})`

/** An argument that is not a literal: a name, a member, a concatenation, a call, a template with `${…}`. */
const dynamic = q`[(identifier) (member_expression) (subscript_expression) (binary_expression) (call_expression) (await_expression) (template_string (template_substitution))]`
/**
 * Arguments that are safe to compile although not literal: an escaped value, another regex's
 * `source`, a module constant (`PATTERN`).
 */
const preparedPattern = re(/([Ee]scape\w*|[Qq]uote\w*)\(|\.source$|^[A-Z][A-Z0-9_]*$/)

export const regexRules: ReadonlyArray<Rule> = [
  security({
    id: "javascript/redos",
    when: /\)([+*]|\{\d+,)/,
    message: "a regular expression with nested quantifiers or overlapping alternatives can take exponential time",
    severity: "warning",
    cwe: "CWE-1333",
    level: "medium",
    fix: "remove the nested quantifier, e.g. (a+)+ → a+, make the alternatives disjoint, or bound the input length",
    query: [nestedQuantifier, overlappingAlternation]
      .map(
        (shape) => q`((regex pattern: (regex_pattern) @match) (#match? @match ${shape}))
          ${literalPattern(`(#match? @match ${shape})`)}`
      )
      .join("\n")
  }),
  security({
    id: "javascript/regex-backtracking",
    // No `when`: most files with a regex would pass any gate, and a gated rule is a pass of its
    // own over the tree, where this one rides along with the rules that always run.
    message:
      "a quantifier over a group that itself repeats or branches: a backtracking match may try many ways to split the input",
    severity: "info",
    cwe: "CWE-1333",
    level: "low",
    fix: "check that the branches cannot match the same text and that the input's length is bounded, or simplify the group",
    // What the medium rule reports is left to it: one finding a pattern.
    query: q`((regex pattern: (regex_pattern) @match)
        (#match? @match ${backtracking}) (#not-match? @match ${nestedQuantifier}) (#not-match? @match ${overlappingAlternation}))
      ${literalPattern(`(#match? @match ${backtracking}) (#not-match? @match ${nestedQuantifier}) (#not-match? @match ${overlappingAlternation})`)}`
  }),
  security({
    id: "javascript/non-literal-regexp",
    when: /\bRegExp\s*\(/,
    message: "a regular expression compiled from a value built at run time",
    severity: "info",
    cwe: "CWE-1333",
    level: "low",
    fix: "escape the parts that are data (escape-string-regexp, lodash escapeRegExp) or match them with includes/startsWith",
    query: q`((new_expression constructor: (identifier) @ctor arguments: (arguments . ${dynamic} @pattern)) @match
        (#eq? @ctor "RegExp") (#not-match? @pattern ${preparedPattern}))
      ((call_expression function: (identifier) @ctor arguments: (arguments . ${dynamic} @pattern)) @match
        (#eq? @ctor "RegExp") (#not-match? @pattern ${preparedPattern}))`
  })
]
