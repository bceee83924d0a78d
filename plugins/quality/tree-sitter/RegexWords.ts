/**
 * The words a regular expression cannot match without: `^(fetch|got)\(` matches no text that
 * lacks both `fetch(` and `got(`. A text that contains none of them cannot hold a match, so a rule
 * whose `#match?` needs such a capture cannot fire on it (see QueryWords.ts). The analysis is
 * conservative: what it cannot read (a class like `\w`, a quantifier that may repeat zero times,
 * a back-reference, modifiers such as `(?i:…)`) gives no words, never wrong ones.
 *
 * The reader is our own, for the syntax `new RegExp(source)` accepts without flags: a regex parser
 * such as regexpp took longer to load and run (about 30 ms of a first check) than the queries it
 * spared on a file; what this one does not know (`\u`, `\p`, `\k`, a `{` that is no quantifier,
 * modifiers) makes it give up, which yields no words.
 */

/** More alternatives than this are no gate worth keeping: the product of `(a|b)(c|d)…` grows fast. */
const maxWords = 64
/** A character class of up to this many characters (`[Tt]`, `[23]`) spells a few words; a larger one, none. */
const maxClass = 8

/**
 * What a part of a pattern tells: `exact`, every text it can match (when there are few);
 * `need`, words one of which each of its matches contains. `undefined`: nothing known.
 */
interface Words {
  readonly exact: ReadonlyArray<string> | undefined
  readonly need: ReadonlyArray<string> | undefined
}

const nothing: Words = { exact: undefined, need: undefined }
const empty: Words = { exact: [""], need: undefined }

const distinct = (words: ReadonlyArray<string>): ReadonlyArray<string> | undefined => {
  const set = [...new Set(words)]
  return set.length > maxWords ? undefined : set
}

/** Words that gate: none empty (the empty word is in every text). */
const gating = (words: ReadonlyArray<string> | undefined): ReadonlyArray<string> | undefined =>
  words === undefined || words.length === 0 || words.includes("") ? undefined : words

/** The shortest word of a set: a set whose shortest word is longer says more. */
const strength = (words: ReadonlyArray<string> | undefined): number =>
  words === undefined ? 0 : Math.min(...words.map((word) => word.length))

const stronger = (a: ReadonlyArray<string> | undefined, b: ReadonlyArray<string> | undefined) =>
  strength(b) > strength(a) ? b : a

const product = (
  left: ReadonlyArray<string> | undefined,
  right: ReadonlyArray<string> | undefined
): ReadonlyArray<string> | undefined =>
  left === undefined || right === undefined || left.length * right.length > maxWords
    ? undefined
    : left.flatMap((head) => right.map((tail) => head + tail))

/** Every branch of a choice must name its words (or spell its text) for the choice to need one of them. */
const choice = (parts: ReadonlyArray<Words>): Words => {
  const exact = parts.every((part) => part.exact !== undefined)
    ? distinct(parts.flatMap((part) => part.exact ?? []))
    : undefined
  const needs = parts.map((part) => gating(stronger(part.need, gating(part.exact))))
  const need = needs.every((words) => words !== undefined) ? distinct(needs.flatMap((words) => words ?? [])) : undefined
  return { exact, need }
}

/** A sequence: its runs of spelled-out parts joined, or the strongest words of one of its parts. */
const sequence = (parts: ReadonlyArray<Words>): Words => {
  let need: ReadonlyArray<string> | undefined
  let run: ReadonlyArray<string> | undefined = [""]
  let whole: ReadonlyArray<string> | undefined = [""]
  for (const part of parts) {
    need = stronger(need, gating(part.need))
    whole = product(whole, part.exact)
    const joined = product(run, part.exact)
    if (joined === undefined) {
      need = stronger(need, gating(run))
      run = part.exact ?? [""]
    } else run = joined
    need = stronger(need, gating(run))
  }
  return { exact: whole, need }
}

/** `inner` repeated `min` to `max` times: `x?` is "" or x; more repeats spell too many texts. */
const repeated = (inner: Words, min: number, max: number): Words => {
  if (min === 0) {
    return max === 1 && inner.exact !== undefined ? { exact: distinct(["", ...inner.exact]), need: undefined } : nothing
  }
  const need = stronger(gating(inner.need), gating(inner.exact))
  return { exact: min === 1 && max === 1 ? inner.exact : undefined, need }
}

class Unread extends Error {}

const controls: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", "0": "\0" }

/** Reads `source` (no flags) into what its matches must contain; throws `Unread` on syntax it does not know. */
const readPattern = (source: string): Words => {
  let at = 0
  const peek = () => source[at]
  const take = () => {
    const char = source[at++]
    if (char === undefined) throw new Unread()
    return char
  }

  const alternatives = (): Words => {
    const branches = [branch()]
    while (peek() === "|") {
      at++
      branches.push(branch())
    }
    return choice(branches)
  }

  const branch = (): Words => {
    const parts: Array<Words> = []
    for (let char = peek(); char !== undefined && char !== "|" && char !== ")"; char = peek()) {
      parts.push(quantifier(atom()))
    }
    return sequence(parts)
  }

  const number = (): number | undefined => {
    const digits = /^\d+/.exec(source.slice(at))?.[0]
    if (digits === undefined) return undefined
    at += digits.length
    return Number(digits)
  }

  const quantifier = (inner: Words): Words => {
    const char = peek()
    let bounds: readonly [number, number] | undefined
    if (char === "?") bounds = [0, 1]
    else if (char === "*") bounds = [0, Number.POSITIVE_INFINITY]
    else if (char === "+") bounds = [1, Number.POSITIVE_INFINITY]
    else if (char === "{") {
      at++
      const min = number()
      let max = min
      if (peek() === ",") {
        at++
        max = number() ?? Number.POSITIVE_INFINITY
      }
      if (min === undefined || max === undefined || take() !== "}") throw new Unread()
      return lazy(repeated(inner, min, max))
    }
    if (bounds === undefined) return inner
    at++
    return lazy(repeated(inner, bounds[0], bounds[1]))
  }

  /** A `?` after a quantifier makes it lazy: the same texts. */
  const lazy = (words: Words): Words => {
    if (peek() === "?") at++
    return words
  }

  const escaped = (): Words => {
    const char = take()
    if (char === "b" || char === "B") return empty
    if ("dDwWsS".includes(char)) return nothing
    const control = controls[char]
    if (control !== undefined && !/\d/.test(peek() ?? "")) return { exact: [control], need: undefined }
    // Back-references, code points, properties and named groups: not read.
    if (/[1-9ukxcpPk0]/.test(char)) throw new Unread()
    if (/[A-Za-z]/.test(char)) throw new Unread()
    return { exact: [char], need: undefined }
  }

  const characterClass = (): Words => {
    const characters: Array<string> = []
    let known = peek() !== "^"
    for (let char = take(); char !== "]"; char = take()) {
      let from = char
      if (char === "\\") {
        const escaped = take()
        if ("dDwWsSbB".includes(escaped)) known = false
        else if (/[A-Za-z0-9]/.test(escaped)) throw new Unread()
        from = escaped
      }
      if (peek() === "-" && source[at + 1] !== "]" && source[at + 1] !== undefined) {
        at++
        let to = take()
        if (to === "\\") {
          to = take()
          if (/[A-Za-z0-9]/.test(to)) throw new Unread()
        }
        const span = (to.codePointAt(0) ?? 0) - (from.codePointAt(0) ?? 0)
        if (span < 0) throw new Unread()
        if (span >= maxClass) known = false
        else
          for (let code = 0; code <= span; code++)
            characters.push(String.fromCodePoint((from.codePointAt(0) ?? 0) + code))
      } else characters.push(from)
    }
    return known && characters.length <= maxClass ? { exact: [...new Set(characters)], need: undefined } : nothing
  }

  const group = (): Words => {
    let assertion = false
    if (peek() === "?") {
      at++
      const kind = take()
      if (kind === "=" || kind === "!") assertion = true
      else if (kind === "<" && (peek() === "=" || peek() === "!")) {
        at++
        assertion = true
      } else if (kind === "<") {
        while (take() !== ">");
      } else if (kind !== ":") throw new Unread()
    }
    const inner = alternatives()
    if (take() !== ")") throw new Unread()
    // A lookaround consumes nothing.
    return assertion ? empty : inner
  }

  const atom = (): Words => {
    const char = take()
    if (char === "^" || char === "$") return empty
    if (char === ".") return nothing
    if (char === "\\") return escaped()
    if (char === "[") return characterClass()
    if (char === "(") return group()
    if ("*+?{}]".includes(char)) throw new Unread()
    return { exact: [char], need: undefined }
  }

  const words = alternatives()
  if (at !== source.length) throw new Unread()
  return words
}

/** Rule sets repeat their patterns (a secret's name, a request's fields) across rules: each is read once. */
const known = new Map<string, ReadonlyArray<string> | undefined>()

const read = (source: string): ReadonlyArray<string> | undefined => {
  try {
    const words = readPattern(source)
    return gating(stronger(words.need, gating(words.exact)))
  } catch (error) {
    if (error instanceof Unread) return undefined
    throw error
  }
}

/**
 * Words one of which every text `source` matches contains, or `undefined` when the pattern does
 * not say (or is not read): `new RegExp(source)` without flags, as `#match?` compiles it.
 */
export const regexWords = (source: string): ReadonlyArray<string> | undefined => {
  if (known.has(source)) return known.get(source)
  const words = read(source)
  known.set(source, words)
  return words
}
