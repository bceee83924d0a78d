/**
 * InfoExclude: keeps Tamma's own folder out of git through the repository's local exclude file,
 * which, unlike `.gitignore`, is not part of the project and is never committed.
 */
import * as fs from "node:fs/promises"
import * as nodePath from "node:path"
import { Predicate } from "effect"

const pattern = ".tamma/"
const equivalents = new Set([".tamma", ".tamma/", "/.tamma", "/.tamma/"])

/** Adds `.tamma/` to `<gitdir>/info/exclude` unless an equivalent line is already there. */
export const ensureExcluded = async (gitdir: string): Promise<void> => {
  const file = nodePath.join(gitdir, "info", "exclude")
  const current = await fs.readFile(file, "utf8").catch((cause: unknown) => {
    if (Predicate.hasProperty(cause, "code") && cause.code === "ENOENT") return ""
    throw cause
  })
  if (current.split(/\r?\n/).some((line) => equivalents.has(line.trim()))) return
  await fs.mkdir(nodePath.dirname(file), { recursive: true })
  const separator = current.length === 0 || current.endsWith("\n") ? "" : "\n"
  await fs.appendFile(file, `${separator}${pattern}\n`, "utf8")
}
