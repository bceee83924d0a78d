/**
 * The thread Biome runs in (see Biome.ts): the Node.js wasm build, one workspace per configuration.
 * A workspace keeps its last few files open, as an editor keeps the open document: a check runs
 * the linter and the format check on the same text, and both then share one parse.
 */
import module from "node:module"
import type { Configuration } from "@biomejs/js-api/nodejs"
import type * as Wasm from "@biomejs/wasm-nodejs"
import { serve } from "../thread/Serve.ts"

// Workers do not inherit the parent's compile cache.
module.enableCompileCache?.()

// No Effect here: the issues go back as plain data, which Biome.ts decodes.
const [wasm, { describeSyntaxErrors, isError, toIssues }] = await Promise.all([
  import("@biomejs/wasm-nodejs"),
  import("./Diagnostics.ts")
])
wasm.main()

/** A request of Biome.ts; `key` names the configuration, which a workspace reads once. */
export interface BiomeRequest {
  /** `fix`: Biome's safe assist actions (organize imports), then the format; `format`: the format alone. */
  readonly op: "lint" | "format" | "fix"
  readonly key: string
  readonly configuration: Configuration
  readonly path: string
  readonly code: string
}

interface Session {
  readonly workspace: Wasm.Workspace
  readonly projectKey: number
  /** The files open in the workspace, oldest first, with the text each was opened with. */
  readonly documents: Map<string, string>
}

/** How many files stay open in a workspace: more than the checks a pack runs at once. */
const openDocuments = 8

const startSession = (configuration: Configuration): Session => {
  const workspace = new wasm.Workspace()
  try {
    const { projectKey } = workspace.openProject({ path: "", openUninitialized: true })
    workspace.updateSettings({ projectKey, configuration, workspaceDirectory: "./" })
    return { workspace, projectKey, documents: new Map() }
  } catch (error) {
    workspace.free()
    throw error
  }
}

/** How many configurations keep a workspace: each project style is one, and a run meets few. */
const openSessions = 8

// A configuration that fails to apply leaves no session behind: a later request tries again.
// Sessions are kept most recently used last; the least recently used one is freed past the limit.
const sessions = new Map<string, Session>()
const sessionFor = (request: BiomeRequest): Session => {
  const known = sessions.get(request.key)
  if (known !== undefined) {
    sessions.delete(request.key)
    sessions.set(request.key, known)
    return known
  }
  const session = startSession(request.configuration)
  sessions.set(request.key, session)
  for (const [key, oldest] of sessions) {
    if (sessions.size <= openSessions) break
    sessions.delete(key)
    oldest.workspace.free()
  }
  return session
}

/** Opens `path` with `code` unless it is open with that text already, closing the oldest beyond the limit. */
const open = ({ workspace, projectKey, documents }: Session, path: string, code: string): void => {
  const known = documents.get(path)
  documents.delete(path)
  if (known !== code) {
    if (known !== undefined) workspace.closeFile({ projectKey, path })
    workspace.openFile({ projectKey, path, content: { type: "fromClient", content: code, version: 0 } })
    for (const oldest of documents.keys()) {
      if (documents.size < openDocuments) break
      documents.delete(oldest)
      workspace.closeFile({ projectKey, path: oldest })
    }
  }
  documents.set(path, code)
}

const lint = (session: Session, { path, code }: BiomeRequest) => {
  const { diagnostics } = session.workspace.pullDiagnostics({
    projectKey: session.projectKey,
    path,
    categories: ["syntax", "lint", "action"]
  })
  return { issues: toIssues(code, diagnostics) }
}

const format = ({ workspace, projectKey }: Session, { op, path, code }: BiomeRequest) => {
  const syntax = workspace.pullDiagnostics({ projectKey, path, categories: ["syntax"] })
  const errors = syntax.diagnostics.filter(isError)
  // Code that does not parse is not formatted: Biome would print only what it recovered.
  if (syntax.errors > 0 || errors.length > 0) return { syntaxError: describeSyntaxErrors(code, errors) }
  if (op === "fix") {
    // As `biome check --write` does for assists: only the safe ones, then the format.
    const fixed = workspace.fixFile({
      projectKey,
      path,
      fixFileMode: "safeFixes",
      shouldFormat: true,
      ruleCategories: ["action"]
    })
    return { content: fixed.code }
  }
  const printed: { readonly code: string } = workspace.formatFile({ projectKey, path })
  return { content: printed.code }
}

serve((request: BiomeRequest) => {
  const session = sessionFor(request)
  open(session, request.path, request.code)
  return request.op === "lint" ? lint(session, request) : format(session, request)
})
