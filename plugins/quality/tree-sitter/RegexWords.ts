/**
 * The words a regular expression cannot match without: `^(fetch|got)\(` matches no text that
 * lacks both `fetch(` and `got(`. A text that contains none of them cannot hold a match, so a rule
 * whose `#match?` needs such a capture cannot fire on it (see QueryWords.ts). The analysis is
 * conservative: what it cannot read (a class like `\w`, a quantifier that may repeat zero times,
 * a back-reference, modifiers such as `(?i:…)`) gives no words, never wrong ones.
 */
import { type AST, RegExpParser } from "@eslint-community/regexpp"

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

const ofAlternatives = (alternatives: ReadonlyArray<AST.Alternative>): Words => {
  const parts = alternatives.map(ofSequence)
  const exact = parts.every((part) => part.exact !== undefined)
    ? distinct(parts.flatMap((part) => part.exact ?? []))
    : undefined
  // Each branch must name its words (or spell its text) for the choice to need one of them.
  const needs = parts.map((part) => gating(stronger(part.need, gating(part.exact))))
  const need = needs.every((words) => words !== undefined) ? distinct(needs.flatMap((words) => words ?? [])) : undefined
  return { exact, need }
}

/** A sequence: its runs of spelled-out parts joined, or the strongest words of one of its parts. */
const ofSequence = (alternative: AST.Alternative): Words => {
  let need: ReadonlyArray<string> | undefined
  let run: ReadonlyArray<string> | undefined = [""]
  let whole: ReadonlyArray<string> | undefined = [""]
  for (const element of alternative.elements) {
    const part = ofElement(element)
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

const ofClass = (node: AST.CharacterClass | AST.ExpressionCharacterClass): Words => {
  if (node.negate || node.type !== "CharacterClass") return nothing
  const characters: Array<string> = []
  for (const element of node.elements) {
    if (element.type === "Character") characters.push(String.fromCodePoint(element.value))
    else if (element.type === "CharacterClassRange" && element.max.value - element.min.value < maxClass) {
      for (let code = element.min.value; code <= element.max.value; code++) characters.push(String.fromCodePoint(code))
    } else return nothing
  }
  return characters.length > maxClass ? nothing : { exact: characters, need: undefined }
}

const ofElement = (element: AST.Element): Words => {
  switch (element.type) {
    case "Character":
      return { exact: [String.fromCodePoint(element.value)], need: undefined }
    case "CharacterClass":
    case "ExpressionCharacterClass":
      return ofClass(element)
    // `^`, `$`, `\b` and lookarounds consume nothing.
    case "Assertion":
      return empty
    case "CapturingGroup":
      return ofAlternatives(element.alternatives)
    case "Group":
      return element.modifiers === null ? ofAlternatives(element.alternatives) : nothing
    case "Quantifier": {
      const inner = ofElement(element.element)
      if (element.min === 0) {
        // `x?` is "" or x; more repeats spell too many texts.
        return element.max === 1 && inner.exact !== undefined
          ? { exact: distinct(["", ...inner.exact]), need: undefined }
          : nothing
      }
      const need = stronger(gating(inner.need), gating(inner.exact))
      return { exact: element.min === 1 && element.max === 1 ? inner.exact : undefined, need }
    }
    default:
      return nothing
  }
}

const parser = new RegExpParser()
/** Rule sets repeat their patterns (a secret's name, a request's fields) across rules: each is read once. */
const known = new Map<string, ReadonlyArray<string> | undefined>()

const read = (source: string): ReadonlyArray<string> | undefined => {
  try {
    const words = ofAlternatives(parser.parsePattern(source).alternatives)
    return gating(stronger(words.need, gating(words.exact)))
  } catch {
    return undefined
  }
}

/**
 * Words one of which every text `source` matches contains, or `undefined` when the pattern does
 * not say (or does not parse): `new RegExp(source)` without flags, as `#match?` compiles it.
 */
export const regexWords = (source: string): ReadonlyArray<string> | undefined => {
  if (known.has(source)) return known.get(source)
  const words = read(source)
  known.set(source, words)
  return words
}
