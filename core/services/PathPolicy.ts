/**
 * PathPolicy: the lexical rules every staged path must pass before it touches a backend.
 * Symlink checks need the real file system and live in the backends.
 */
import { Glob } from "effect"
import type { FilesConfig } from "../domain/Config.ts"
import { UnsafePathError } from "../errors.ts"

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const controlCharacters = /[\u0000-\u001f\u007f]/
const windowsDevice = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i
// Characters Windows refuses in names; `:` also names an NTFS alternate data stream.
const windowsReserved = /[<>:"|?*]/
/** Top-level folders of the workspace that are internal: git's and ours. */
export const reservedRoots: ReadonlyArray<string> = [".git", ".tamma"]
// Git's own folder anywhere (a nested repository, a submodule) and its 8.3 short name on Windows.
const reservedAnywhere = [".git", "git~1"]
// The longest name most file systems accept (NAME_MAX), in bytes.
const maxNameBytes = 255

// Compiling a glob costs more than matching it, and every staged path is matched against all of them.
const globs = new Map<string, ReturnType<typeof Glob.make>>()
const compiled = (pattern: string) => {
  let glob = globs.get(pattern)
  // Stryker disable next-line ConditionalExpression: compiling again every time only costs time
  if (glob === undefined) {
    glob = Glob.make(pattern, { dot: true })
    globs.set(pattern, glob)
  }
  return glob
}

/** Normalises a workspace-relative path, or says which rule it breaks. */
export const checkPath = (input: string, files: FilesConfig): UnsafePathError | string => {
  const refuse = (rule: string, detail?: string) => new UnsafePathError({ path: input, rule, detail })
  // Stryker disable next-line ConditionalExpression: an empty path has no segments and is refused as empty below too
  if (input.length === 0) return refuse("empty")
  if (controlCharacters.test(input)) return refuse("control-character")
  if (input.startsWith("/") || /^[A-Za-z]:[\\/]/.test(input) || input.startsWith("\\\\")) return refuse("absolute")
  if (input.includes("\\")) return refuse("backslash")
  const segments: Array<string> = []
  for (const segment of input.split("/")) {
    if (segment === "" || segment === ".") continue
    if (segment === "..") {
      if (segments.length === 0) return refuse("outside-workspace")
      segments.pop()
      continue
    }
    if (windowsDevice.test(segment)) return refuse("device-name", segment)
    if (segment.endsWith(".") || segment.endsWith(" ")) return refuse("trailing-dot-or-space", segment)
    if (windowsReserved.test(segment)) return refuse("reserved-character", segment)
    if (reservedAnywhere.includes(segment.toLowerCase())) return refuse("reserved", `${segment}/ is git's`)
    // Stryker disable next-line StringLiteral: Buffer.byteLength reads an empty encoding name as utf8
    const nameBytes = Buffer.byteLength(segment, "utf8")
    if (nameBytes > maxNameBytes) return refuse("name-too-long", `${segment.slice(0, 40)}…`)
    segments.push(segment)
  }
  if (segments.length === 0) return refuse("empty")
  const normalized = segments.join("/")
  if (normalized.length > files.maxPathLength)
    return refuse("too-long", `${normalized.length} > ${files.maxPathLength}`)
  // Stryker disable next-line OptionalChaining: segments is not empty here, so its first is defined
  const root = segments[0]?.toLowerCase()
  // Stryker disable next-line ConditionalExpression: segments is not empty here, so root is defined
  if (root !== undefined && reservedRoots.includes(root)) return refuse("reserved", `${root}/ is internal`)
  const matches = (pattern: string) => Glob.match(compiled(pattern), normalized)
  const denied = files.deny.find(matches)
  if (denied !== undefined) return refuse("denied", `matches ${denied}`)
  if (!files.allow.some(matches)) return refuse("not-allowed", `outside ${files.allow.join(", ")}`)
  return normalized
}

/** Refuses content over the size limit or with NUL bytes (binary where text is expected). */
export const checkContent = (path: string, content: string, files: FilesConfig): UnsafePathError | undefined => {
  // Stryker disable next-line StringLiteral: Buffer.byteLength reads an empty encoding name as utf8
  const bytes = Buffer.byteLength(content, "utf8")
  if (bytes > files.maxFileBytes) {
    return new UnsafePathError({ path, rule: "too-large", detail: `${bytes} > ${files.maxFileBytes} bytes` })
  }
  if (content.includes("\u0000")) return new UnsafePathError({ path, rule: "binary-content" })
  return undefined
}
