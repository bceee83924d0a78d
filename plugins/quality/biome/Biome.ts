/**
 * Biome in process (the Node.js wasm build behind `@biomejs/js-api`): format, lint and a format
 * check for JavaScript, TypeScript and JSON. Compiling the wasm takes a few hundred milliseconds,
 * so it happens on first use and once per process; importing this module loads nothing.
 */
import type { Configuration } from "@biomejs/js-api/nodejs"
import type * as Wasm from "@biomejs/wasm-nodejs"
import { Effect } from "effect"
import type { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter, QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { formatCheck } from "../FormatCheck.ts"
import * as BiomeConfig from "./BiomeConfig.ts"
import { describeSyntaxErrors, isError, toIssues, toolName } from "./Diagnostics.ts"

/** A configured Biome: its operations, and the same operations shaped for a language pack. */
export interface Biome {
  /** The formatted code; fails when the code does not parse instead of returning it unchanged. */
  readonly format: (code: string, path: string) => Effect.Effect<string, QualityToolError>
  /** Syntax and lint findings. `path` is virtual: Biome picks the language from its extension. */
  readonly lint: (code: string, path: string) => Effect.Effect<ReadonlyArray<QualityIssue>, QualityToolError>
  /** One `biome/format` finding when the code is not formatted; none when it does not parse (lint says why). */
  readonly checkFormat: (code: string, path: string) => Effect.Effect<ReadonlyArray<QualityIssue>, QualityToolError>
  readonly formatter: Formatter
  /** `lint` as a quality tool. */
  readonly linter: QualityTool
  /** `checkFormat` as a quality tool. */
  readonly formatCheck: QualityTool
}

interface Session {
  readonly workspace: Wasm.Workspace
  readonly projectKey: number
  /** The files open in the workspace, oldest first, with the text each was opened with. */
  readonly documents: Map<string, string>
}

/**
 * How many files stay open in a workspace. A check runs the linter and the format check on the
 * same text, and several files are checked at once: keeping the last few open lets both share one
 * parse, as an editor's requests share the open document.
 */
const openDocuments = 8

// One compiled wasm module per process, shared by every configured instance.
let loadingModule: Promise<typeof Wasm> | undefined
const loadModule = (): Promise<typeof Wasm> => {
  if (loadingModule === undefined) {
    const attempt = import("@biomejs/wasm-nodejs").then((wasm) => {
      wasm.main()
      return wasm
    })
    // A failed load is forgotten so that a later call may try again.
    attempt.catch(() => {
      if (loadingModule === attempt) loadingModule = undefined
    })
    loadingModule = attempt
  }
  return loadingModule
}

const startSession = async (configuration: Configuration): Promise<Session> => {
  const { Workspace } = await loadModule()
  const workspace = new Workspace()
  try {
    const { projectKey } = workspace.openProject({ path: "", openUninitialized: true })
    workspace.updateSettings({ projectKey, configuration, workspaceDirectory: "./" })
    return { workspace, projectKey, documents: new Map() }
  } catch (error) {
    workspace.free()
    throw error
  }
}

/** Runs `use` on `path` open with `code`, reusing the parse of an earlier call on the same text. */
const withDocument = <A>(session: Session, path: string, code: string, use: () => A): A => {
  const { workspace, projectKey, documents } = session
  const open = documents.get(path)
  documents.delete(path)
  if (open !== code) {
    if (open !== undefined) workspace.closeFile({ projectKey, path })
    workspace.openFile({ projectKey, path, content: { type: "fromClient", content: code, version: 0 } })
    for (const oldest of documents.keys()) {
      if (documents.size < openDocuments) break
      documents.delete(oldest)
      workspace.closeFile({ projectKey, path: oldest })
    }
  }
  documents.set(path, code)
  return use()
}

/** The text of a failure: the wasm throws `Error`s carrying Biome's message. */
const causeOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** A Biome with its own workspace and `configuration` (by default: recommended rules, the default style). */
const make = (configuration: Configuration = BiomeConfig.configuration()): Biome => {
  let opening: Promise<Session> | undefined
  const session = (): Promise<Session> => {
    if (opening === undefined) {
      const attempt = startSession(configuration)
      attempt.catch(() => {
        if (opening === attempt) opening = undefined
      })
      opening = attempt
    }
    return opening
  }

  const toolError = (path: string) => (error: unknown) =>
    new QualityToolError({ tool: toolName, path, cause: causeOf(error) })

  // The wasm calls are synchronous, so one call never interleaves with another on the workspace.
  const call = <A>(path: string, code: string, run: (session: Session) => A): Effect.Effect<A, QualityToolError> =>
    Effect.tryPromise({ try: session, catch: toolError(path) }).pipe(
      Effect.flatMap((opened) =>
        Effect.try({ try: () => withDocument(opened, path, code, () => run(opened)), catch: toolError(path) })
      )
    )

  const format = Effect.fn("Biome.format")(function* (code: string, path: string) {
    const formatted = yield* call(path, code, ({ workspace, projectKey }) => {
      const syntax = workspace.pullDiagnostics({ projectKey, path, categories: ["syntax"] })
      const errors = syntax.diagnostics.filter(isError)
      // Code that does not parse is not formatted: Biome would print only what it recovered.
      if (syntax.errors > 0 || errors.length > 0) return { errors }
      const printed: { readonly code: string } = workspace.formatFile({ projectKey, path })
      return { content: printed.code }
    })
    if (formatted.content === undefined) {
      return yield* new QualityToolError({ tool: toolName, path, cause: describeSyntaxErrors(code, formatted.errors) })
    }
    return formatted.content
  })

  const lint = Effect.fn("Biome.lint")(function* (code: string, path: string) {
    const { diagnostics } = yield* call(path, code, ({ workspace, projectKey }) =>
      workspace.pullDiagnostics({ projectKey, path, categories: ["syntax", "lint", "action"] })
    )
    return toIssues(code, diagnostics)
  })

  const formatter = { name: toolName, format }
  const formatTool = formatCheck(formatter, "Biome")

  return {
    format,
    lint,
    checkFormat: formatTool.check,
    formatter,
    linter: { name: toolName, check: lint },
    formatCheck: formatTool
  }
}

const standard = make()

/**
 * Biome with the default configuration (`format`, `lint`, `checkFormat` and their plugs), plus
 * `make` for a Biome configured otherwise: `Biome.make(Biome.configuration({ lineWidth: 120 }))`.
 */
export const Biome = {
  ...standard,
  /** The instance behind the default operations, shared by the built-in language packs. */
  standard,
  make,
  configuration: BiomeConfig.configuration,
  defaultStyle: BiomeConfig.defaultStyle
}
