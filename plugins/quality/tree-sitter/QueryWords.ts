/**
 * What a file must contain for a query to match, read from its predicates: `(#eq? @fn "exec")`
 * on a capture every match has, `(#any-of? @fn "a" "b")`, `(#match? @fn "^(fetch|got)$")`. A
 * rule whose words a file lacks is neither compiled nor run on it, whether or not the rule says
 * `when`: compiling a query is most of the rules' time on a file checked once.
 *
 * How `web-tree-sitter` 0.27 evaluates a predicate whose capture is not in a match decides what
 * counts: a positive `#match?`, `#any-match?`, `#any-of?` or `#any-eq?` then fails, so it always
 * needs its text; `#eq?` then holds, so it needs its text only when its capture is in every match
 * (not under `?`, `*` or a choice that can leave it out). Anything this reader does not know
 * (a syntax it cannot parse, a regex it cannot read) yields no words: the rule then runs, as it
 * would without this.
 */
import { regexWords } from "./RegexWords.ts"

type Token =
  | { readonly kind: "open" | "close" | "openChoice" | "closeChoice" | "anchor" }
  | { readonly kind: "quantifier"; readonly text: string }
  | { readonly kind: "capture" | "predicate" | "word" | "field" | "negatedField" | "string"; readonly text: string }

/** The text of a query string literal, unescaped as tree-sitter does (`\n`, `\t`, `\r`, `\0`, else the character). */
const stringValue = (body: string): string =>
  body.replace(/\\(.)/gs, (_, char: string) =>
    char === "n" ? "\n" : char === "t" ? "\t" : char === "r" ? "\r" : char === "0" ? "\0" : char
  )

const tokenize = (source: string): ReadonlyArray<Token> | undefined => {
  const tokens: Array<Token> = []
  const pattern =
    /\s+|;[^\n]*|(\()|(\))|(\[)|(\])|"((?:[^"\\]|\\.)*)"|@([\w.-]+)|#([\w-]+[?!])|!([\w]+)|([\w.-]+):|([?*+])|(\.)|([\w/-]+)|(.)/gsy
  for (const match of source.matchAll(pattern)) {
    const [, open, close, openChoice, closeChoice, string, capture, predicate, negated, field, quantifier, anchor] =
      match
    const [word, other] = [match[12], match[13]]
    if (other !== undefined) return undefined
    if (open !== undefined) tokens.push({ kind: "open" })
    else if (close !== undefined) tokens.push({ kind: "close" })
    else if (openChoice !== undefined) tokens.push({ kind: "openChoice" })
    else if (closeChoice !== undefined) tokens.push({ kind: "closeChoice" })
    else if (string !== undefined) tokens.push({ kind: "string", text: stringValue(string) })
    else if (capture !== undefined) tokens.push({ kind: "capture", text: capture })
    else if (predicate !== undefined) tokens.push({ kind: "predicate", text: predicate })
    else if (negated !== undefined) tokens.push({ kind: "negatedField", text: negated })
    else if (field !== undefined) tokens.push({ kind: "field", text: field })
    else if (quantifier !== undefined) tokens.push({ kind: "quantifier", text: quantifier })
    else if (anchor !== undefined) tokens.push({ kind: "anchor" })
    else if (word !== undefined) tokens.push({ kind: "word", text: word })
  }
  return tokens
}

/** A predicate: its operator and arguments (`@name` captures, or strings). */
interface Predicate {
  readonly operator: string
  readonly args: ReadonlyArray<{ readonly capture: string } | { readonly text: string }>
}

/** One top-level pattern: the captures every match of it has, and its predicates. */
interface Pattern {
  readonly certain: ReadonlySet<string>
  readonly predicates: ReadonlyArray<Predicate>
}

class Unreadable extends Error {}

/** A recursive-descent reader of a query's patterns; throws `Unreadable` on what it does not know. */
const readPatterns = (tokens: ReadonlyArray<Token>): ReadonlyArray<Pattern> => {
  let at = 0
  const peek = () => tokens[at]
  const next = () => {
    const token = tokens[at++]
    if (token === undefined) throw new Unreadable()
    return token
  }

  /** The next token after any anchors (`.`): an anchor may stand last in a node, before its `)`. */
  const skipAnchors = () => {
    while (peek()?.kind === "anchor") next()
    return peek()
  }

  /** One item and what follows it (quantifier, captures): the captures every match of it has. */
  const item = (predicates: Array<Predicate>): ReadonlySet<string> => {
    while (peek()?.kind === "field" || peek()?.kind === "anchor") next()
    const token = next()
    let certain: Set<string>
    if (token.kind === "open") certain = parenthesised(predicates)
    else if (token.kind === "openChoice") {
      const branches: Array<ReadonlySet<string>> = []
      while (skipAnchors()?.kind !== "closeChoice") branches.push(item(predicates))
      next()
      certain = new Set([...(branches[0] ?? [])].filter((capture) => branches.every((branch) => branch.has(capture))))
    } else if (token.kind === "string" || token.kind === "word") certain = new Set()
    else if (token.kind === "negatedField") return new Set()
    else throw new Unreadable()
    let optional = false
    for (let following = peek(); following !== undefined; following = peek()) {
      if (following.kind === "quantifier") optional ||= following.text !== "+"
      else if (following.kind === "capture") certain.add(following.text)
      else break
      next()
    }
    return optional ? new Set() : certain
  }

  /** After `(`: a predicate, a node (`(call_expression …)`, `(_)`) or a group of items. */
  const parenthesised = (predicates: Array<Predicate>): Set<string> => {
    const first = peek()
    if (first?.kind === "predicate") {
      next()
      const args: Array<{ readonly capture: string } | { readonly text: string }> = []
      for (let token = next(); token.kind !== "close"; token = next()) {
        if (token.kind === "capture") args.push({ capture: token.text })
        else if (token.kind === "string" || token.kind === "word") args.push({ text: token.text })
        else throw new Unreadable()
      }
      predicates.push({ operator: first.text, args })
      return new Set()
    }
    // A node names its type first; a group starts with an item.
    if (first?.kind === "word" || first?.kind === "string") next()
    const certain = new Set<string>()
    while (skipAnchors()?.kind !== "close") for (const capture of item(predicates)) certain.add(capture)
    next()
    return certain
  }

  const patterns: Array<Pattern> = []
  while (skipAnchors() !== undefined) {
    const predicates: Array<Predicate> = []
    const certain = item(predicates)
    patterns.push({ certain, predicates })
  }
  return patterns
}

/** Each entry: words one of which the text must contain. */
type Needs = ReadonlyArray<ReadonlyArray<string>>

const needsOf = (pattern: Pattern): Needs =>
  pattern.predicates.flatMap((predicate): Needs => {
    const [subject, ...rest] = predicate.args
    if (subject === undefined || !("capture" in subject)) return []
    const texts = rest.flatMap((arg) => ("text" in arg ? [arg.text] : []))
    if (texts.length !== rest.length || texts.length === 0) return []
    switch (predicate.operator) {
      case "match?":
      case "any-match?": {
        const words = regexWords(texts[0] ?? "")
        return words === undefined ? [] : [words]
      }
      case "any-of?":
      case "any-eq?":
        return texts.includes("") ? [] : [texts]
      case "eq?":
        return pattern.certain.has(subject.capture) && texts[0] !== "" ? [texts] : []
      default:
        return []
    }
  })

/**
 * What text a match of `query` needs: one entry per pattern, each a list of word sets the text
 * must each meet; `undefined` when some pattern needs nothing this reader can name (or the query
 * does not read), so that the query can match any text.
 */
export const queryNeeds = (query: string): ReadonlyArray<Needs> | undefined => {
  const tokens = tokenize(query)
  if (tokens === undefined) return undefined
  let patterns: ReadonlyArray<Pattern>
  try {
    patterns = readPatterns(tokens)
  } catch (error) {
    if (error instanceof Unreadable) return undefined
    throw error
  }
  const needs = patterns.map(needsOf)
  return needs.length === 0 || needs.some((pattern) => pattern.length === 0) ? undefined : needs
}

/** Whether `code` meets `needs`: some pattern's every word set has a word in it. */
export const meets = (code: string, needs: ReadonlyArray<Needs> | undefined): boolean =>
  needs === undefined || needs.some((pattern) => pattern.every((words) => words.some((word) => code.includes(word))))
