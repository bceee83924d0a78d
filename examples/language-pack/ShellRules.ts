/**
 * The pack's quality tools: the syntax check (every ERROR and MISSING node of the tree) and one
 * security rule, a download piped straight into a shell (CWE-494: code run without an integrity
 * check).
 */
import type { Node } from "web-tree-sitter"
import { QualityIssue } from "../../core/domain/Quality.ts"
import type { QualityTool } from "../../core/services/LanguageRegistry.ts"
import { syntaxIssues } from "../../plugins/quality/tree-sitter/SyntaxErrors.ts"
import { descendants, withShellTree } from "./ShellTree.ts"

/** Reports what tree-sitter-bash cannot parse. */
export const shellSyntax: QualityTool = {
  name: "shell-syntax",
  check: (code, path) => withShellTree(code, path, "shell-syntax", (root) => syntaxIssues(root.tree, "shell-syntax"))
}

const commandName = (node: Node): string | undefined =>
  node.type === "command" ? node.childForFieldName("name")?.text.replace(/^.*\//, "") : undefined

const downloaders = new Set(["curl", "wget"])
const shells = new Set(["sh", "bash", "zsh", "dash"])

/** `curl … | sh`: whatever the server sends, or whoever sits between, runs here. */
const pipedDownloads = (root: Node): ReadonlyArray<QualityIssue> =>
  [...descendants(root)]
    .filter((node) => node.type === "pipeline")
    .flatMap((pipeline) => {
      const names = pipeline.namedChildren.map((child) => (child === null ? undefined : commandName(child)))
      const from = names.findIndex((name) => name !== undefined && downloaders.has(name))
      const into = names.findLastIndex((name) => name !== undefined && shells.has(name))
      if (from < 0 || into <= from) return []
      return [
        new QualityIssue({
          severity: "error",
          category: "security",
          rule: "shell/pipe-download-to-shell",
          message: `${names[from]} output runs in ${names[into]} unchecked`,
          line: pipeline.startPosition.row + 1,
          column: pipeline.startPosition.column + 1,
          tool: "shell-rules",
          cwe: "CWE-494",
          level: "high",
          fix: "download to a file, check its checksum or signature, then run it"
        })
      ]
    })

/** The security rule as a tool. */
export const shellRules: QualityTool = {
  name: "shell-rules",
  check: (code, path) => withShellTree(code, path, "shell-rules", pipedDownloads)
}
