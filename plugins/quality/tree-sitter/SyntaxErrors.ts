/**
 * Syntax errors of a tree: every MISSING node (a token the parser had to invent) and every
 * innermost ERROR node (text it could not fit), as `syntax` issues at 1-based positions.
 */
import type { Node, Tree } from "web-tree-sitter"
import { QualityIssue } from "../../../core/domain/Quality.ts"

// A file that does not parse at all yields one ERROR per token; past this many, the rest is noise.
const maxIssues = 20

/** The first line of a node's text, shortened for a message. */
const excerpt = (text: string): string => {
  const line = text.split("\n", 1)[0]?.trim() ?? ""
  return line.length > 30 ? `${line.slice(0, 30)}…` : line
}

const messageOf = (node: Node): string => {
  if (node.isMissing) return node.isNamed ? `missing ${node.type.replaceAll("_", " ")}` : `missing \`${node.type}\``
  const text = excerpt(node.text)
  return text === "" ? "unexpected end of input" : `unexpected \`${text}\``
}

const issueAt = (node: Node, tool: string): QualityIssue =>
  new QualityIssue({
    severity: "error",
    category: "syntax",
    rule: node.isMissing ? `${tool}/missing` : `${tool}/unexpected`,
    message: messageOf(node),
    // Rows are 0-based; columns count UTF-16 code units, as JavaScript strings do.
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    tool
  })

/** The syntax issues of `tree`, in source order; none when it parsed cleanly. */
export const syntaxIssues = (tree: Tree, tool: string): ReadonlyArray<QualityIssue> => {
  const issues: Array<QualityIssue> = []
  // An ERROR that contains another ERROR would only repeat it with a vaguer position.
  const visit = (node: Node): void => {
    if (issues.length >= maxIssues) return
    if (node.isMissing) {
      issues.push(issueAt(node, tool))
      return
    }
    if (!node.hasError) return
    const before = issues.length
    for (const child of node.children) visit(child)
    if (node.isError && issues.length === before) issues.push(issueAt(node, tool))
  }
  const root = tree.rootNode
  if (root.hasError) visit(root)
  return issues
}
