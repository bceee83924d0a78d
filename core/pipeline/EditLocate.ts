/**
 * Where an edit's block of lines goes in a file: exactly, then ignoring indentation and trailing spaces,
 * then a bounded fuzzy match over the same number of lines. A fuzzy match must keep the names of
 * the block's first and last lines that name something, and be the only one: a similar function
 * elsewhere is another function, and two close places are a question for the model, not a guess.
 */

/** Lines of the file, 1-based and inclusive. */
export interface Region {
  readonly startLine: number
  readonly endLine: number
  readonly text: string
  readonly similarity: number
}

const levenshtein = (a: string, b: string): number => {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

const lineSimilarity = (a: string, b: string): number => {
  const x = a.trim()
  const y = b.trim()
  const longest = Math.max(x.length, y.length)
  return longest === 0 ? 1 : 1 - levenshtein(x, y) / longest
}

/** How a block was found: as written, ignoring indentation and trailing spaces, or approximately. */
export type MatchStrategy = "exact" | "whitespace" | "fuzzy"

interface Match {
  readonly start: number
  readonly end: number
  readonly strategy: MatchStrategy
}

export type Located =
  | { readonly _tag: "Found"; readonly match: Match }
  | { readonly _tag: "Ambiguous"; readonly candidates: ReadonlyArray<Region> }
  | { readonly _tag: "NotFound"; readonly closest: Region | undefined }

export const regionOf = (file: ReadonlyArray<string>, start: number, length: number, similarity: number): Region => ({
  startLine: start + 1,
  endLine: start + length,
  text: file.slice(start, start + length).join("\n"),
  similarity: Math.round(similarity * 1000) / 1000
})

export const positions = (
  file: ReadonlyArray<string>,
  search: ReadonlyArray<string>,
  same: (a: string, b: string) => boolean
): Array<number> => {
  const found: Array<number> = []
  for (let start = 0; start + search.length <= file.length; start++) {
    let all = true
    for (let k = 0; k < search.length && all; k++) all = same(file[start + k] ?? "", search[k] ?? "")
    if (all) found.push(start)
  }
  return found
}

const namesOf = (line: string): ReadonlyArray<string> => line.match(/[A-Za-z_$][\w$]*/g) ?? []

/**
 * Whether the names on the search's first and last lines are on the window's same lines. A line
 * of braces names nothing, so the rule looks at the first and last lines that name something:
 * `}` then `async delete(` must not land on `}` then `async remove(`.
 */
const keepsNames = (search: ReadonlyArray<string>, window: ReadonlyArray<string>): boolean => {
  const named = search.flatMap((line, at) => (namesOf(line).length > 0 ? [at] : []))
  const kept = (at: number | undefined) => {
    if (at === undefined) return true
    const names = new Set(namesOf(window[at] ?? ""))
    return namesOf(search[at] ?? "").every((name) => names.has(name))
  }
  return kept(named[0]) && kept(named[named.length - 1])
}

// Fuzzy matching is quadratic in the worst case; beyond this many line comparisons it is skipped.
const fuzzyBudget = 4_000_000

/** Where `search` is in `file`: exactly, then ignoring indentation, then a unique fuzzy match that keeps the names. */
export const locate = (file: ReadonlyArray<string>, search: ReadonlyArray<string>, threshold: number): Located => {
  const n = search.length
  const pick = (found: ReadonlyArray<number>, strategy: MatchStrategy, similarity: number): Located | undefined => {
    const [first] = found
    if (first === undefined) return undefined
    if (found.length > 1) {
      return { _tag: "Ambiguous", candidates: found.map((start) => regionOf(file, start, n, similarity)) }
    }
    return { _tag: "Found", match: { start: first, end: first + n, strategy } }
  }
  const exact = pick(
    positions(file, search, (a, b) => a === b),
    "exact",
    1
  )
  if (exact !== undefined) return exact
  const loose = pick(
    positions(file, search, (a, b) => a.trim() === b.trim()),
    "whitespace",
    1
  )
  if (loose !== undefined) return loose
  if (file.length * n > fuzzyBudget || file.length < n) return { _tag: "NotFound", closest: undefined }
  const scores: Array<number> = []
  for (let start = 0; start + n <= file.length; start++) {
    let total = 0
    for (let k = 0; k < n; k++) total += lineSimilarity(file[start + k] ?? "", search[k] ?? "")
    scores.push(total / n)
  }
  const best = scores.reduce((top, score, start) => (score > (scores[top] ?? -1) + 1e-9 ? start : top), 0)
  const closest = regionOf(file, best, n, scores[best] ?? 0)
  // A close window is a match only if it keeps the names of the block's first and last lines:
  // a similar function is another function, not a typo.
  const accepted = scores
    .map((score, start) => ({ score, start }))
    .filter(({ score, start }) => score >= threshold && keepsNames(search, file.slice(start, start + n)))
    .sort((a, b) => b.score - a.score || a.start - b.start)
  // Overlapping windows are one location seen twice (a repeated line); apart, they are two places.
  const places: Array<{ readonly score: number; readonly start: number }> = []
  for (const window of accepted) {
    if (places.every((place) => Math.abs(place.start - window.start) >= n)) places.push(window)
  }
  const [only, ...others] = places
  if (only === undefined) return { _tag: "NotFound", closest }
  if (others.length > 0) {
    const candidates = [...places].sort((a, b) => a.start - b.start)
    return { _tag: "Ambiguous", candidates: candidates.map((place) => regionOf(file, place.start, n, place.score)) }
  }
  return { _tag: "Found", match: { start: only.start, end: only.start + n, strategy: "fuzzy" } }
}
