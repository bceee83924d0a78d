/**
 * Finding a `__proto__` key in parsed JSON. `JSON.parse` keeps it as a plain key, but the first
 * copy of its object that assigns key by key (`out[key] = value`) makes its value the copy's
 * prototype: every key the file leaves out is then read from it. A config file could so set
 * what the trust rules never saw (the sandbox, hooks, limits).
 */

/** The path of the first `__proto__` key in `value` (`provider.__proto__`, `rules[0].__proto__`), if any. */
export const prototypeKeyPath = (value: unknown): string | undefined => {
  // Iterative: the file decides how deep it nests, and a recursion would overflow the stack.
  const pending: Array<{ readonly value: unknown; readonly at: string }> = [{ value, at: "" }]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const current = next.value
    if (Array.isArray(current)) {
      for (const [index, item] of current.entries()) pending.push({ value: item, at: `${next.at}[${index}]` })
    } else if (typeof current === "object" && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const at = next.at === "" ? key : `${next.at}.${key}`
        if (key === "__proto__") return at
        pending.push({ value: item, at })
      }
    }
  }
  return undefined
}
