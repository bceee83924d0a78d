/**
 * Biome in process (`@biomejs/js-api` on the Node.js wasm build): format, lint and a format check
 * for JavaScript, TypeScript and JSON. Compiling the wasm takes a few hundred milliseconds, so it
 * happens on first use and once per process; importing this module loads nothing.
 */
import type * as JsApi from "@biomejs/js-api/nodejs"
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
  readonly api: JsApi.Biome
  readonly projectKey: number
}

// One compiled wasm module per process, shared by every configured instance.
let loadingModule: Promise<typeof JsApi> | undefined
const loadModule = (): Promise<typeof JsApi> => {
  if (loadingModule === undefined) {
    const attempt = import("@biomejs/js-api/nodejs")
    // A failed load is forgotten so that a later call may try again.
    attempt.catch(() => {
      if (loadingModule === attempt) loadingModule = undefined
    })
    loadingModule = attempt
  }
  return loadingModule
}

const startSession = async (configuration: JsApi.Configuration): Promise<Session> => {
  const { Biome } = await loadModule()
  const api = new Biome()
  try {
    const { projectKey } = api.openProject()
    api.applyConfiguration(projectKey, configuration)
    return { api, projectKey }
  } catch (error) {
    api.shutdown()
    throw error
  }
}

/** The text of a failure: js-api wraps wasm errors in a `WasmError` whose own message is empty. */
const causeOf = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "stackTrace" in error) return causeOf(error.stackTrace)
  if (error instanceof Error) return error.message
  return String(error)
}

/** A Biome with its own workspace and `configuration` (by default: recommended rules, the default style). */
const make = (configuration: JsApi.Configuration = BiomeConfig.configuration()): Biome => {
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
  const call = <A>(path: string, run: (session: Session) => A): Effect.Effect<A, QualityToolError> =>
    Effect.tryPromise({ try: session, catch: toolError(path) }).pipe(
      Effect.flatMap((opened) => Effect.try({ try: () => run(opened), catch: toolError(path) }))
    )

  /** The formatted code, or the errors that kept Biome from formatting it. */
  const formatContent = (code: string, path: string) =>
    call(path, ({ api, projectKey }) => api.formatContent(projectKey, code, { filePath: path })).pipe(
      Effect.map((result) => ({ content: result.content, errors: result.diagnostics.filter(isError) }))
    )

  const format = Effect.fn("Biome.format")(function* (code: string, path: string) {
    const { content, errors } = yield* formatContent(code, path)
    if (errors.length > 0) {
      return yield* new QualityToolError({ tool: toolName, path, cause: describeSyntaxErrors(code, errors) })
    }
    return content
  })

  const lint = Effect.fn("Biome.lint")(function* (code: string, path: string) {
    const { diagnostics } = yield* call(path, ({ api, projectKey }) =>
      api.lintContent(projectKey, code, { filePath: path })
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
