/**
 * BranchName: the rules of `git check-ref-format --branch` that a name can break, checked where
 * the name is read (a request's branch, the config's prefix) so that a bad one is refused before
 * the run, and again before any ref is written (an empty repository has no ref write to reject them).
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what git refuses
const forbidden = /[\u0000-\u0020\u007f~^:?*[\\]/

/** Why `name` is not a valid branch name, or `undefined` when it is. */
export const invalidBranchName = (name: string): string | undefined => {
  if (name.length === 0) return "empty name"
  if (forbidden.test(name)) return "contains a space, a control character or one of ~^:?*[\\"
  if (name.includes("..") || name.includes("@{") || name.includes("//")) return "contains '..', '@{' or '//'"
  if (name === "@" || name.startsWith("-")) return "is '@' or starts with '-'"
  if (name.startsWith("/") || name.endsWith("/") || name.endsWith("."))
    return "starts or ends with '/' or ends with '.'"
  if (name.split("/").some((part) => part.startsWith(".") || part.endsWith(".lock"))) {
    return "a component starts with '.' or ends with '.lock'"
  }
  return undefined
}
