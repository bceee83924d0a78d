/**
 * Ruff in process (`@astral-sh/ruff-wasm-nodejs`): lint, format and a format check for Python.
 * The wasm (~100 ms to load) is imported on first use; each configuration gets one workspace.
 */
import type * as RuffWasm from "@astral-sh/ruff-wasm-nodejs"
import { Effect } from "effect"
import { type FormatStyle, isDefaultStyle } from "../../../core/domain/FormatStyle.ts"
import type { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter, QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { formatCheck } from "../FormatCheck.ts"
import { causeOf, once } from "../Loading.ts"
import { decodeDiagnostics, toIssue, toolName } from "./RuffDiagnostics.ts"

/** Ruff's settings as its `ruff.toml` spells them (`line-length`, `lint.select`, …). */
export interface RuffSettings {
  readonly "line-length"?: number
  readonly "indent-width"?: number
  readonly lint?: { readonly select?: ReadonlyArray<string>; readonly ignore?: ReadonlyArray<string> }
  readonly format?: { readonly "quote-style"?: "double" | "single"; readonly "indent-style"?: "space" | "tab" }
}

/**
 * Pyflakes, pycodestyle, flake8-bandit and flake8-bugbear. The bandit checks that the Python
 * rule set already reports are ignored so that one finding is not scored twice, and so are
 * those that flag idiomatic code: `assert` (pytest), any use of `random`, any subprocess call.
 */
export const defaultSettings: RuffSettings = {
  "line-length": 100,
  lint: {
    select: ["F", "E", "S", "B"],
    ignore: [
      "S101",
      "S102",
      "S105",
      "S106",
      "S107",
      "S201",
      "S301",
      "S302",
      "S303",
      "S304",
      "S305",
      "S306",
      "S307",
      "S311",
      "S323",
      "S324",
      "S501",
      "S506",
      "S602",
      "S603",
      "S605",
      "S607",
      "S608",
      "S701",
      "S704"
    ]
  }
}

/** A configured Ruff: its operations, and the same shaped for a language pack. */
export interface Ruff {
  readonly lint: (code: string, path: string) => Effect.Effect<ReadonlyArray<QualityIssue>, QualityToolError>
  /** The formatted code in `style` (indentation and quotes); fails on code that does not parse. */
  readonly format: (code: string, path: string, style?: FormatStyle) => Effect.Effect<string, QualityToolError>
  /** One `ruff/format` finding when the code is not formatted; none when it does not parse (lint says why). */
  readonly checkFormat: (code: string, path: string) => Effect.Effect<ReadonlyArray<QualityIssue>, QualityToolError>
  readonly linter: QualityTool
  readonly formatter: Formatter
  readonly formatCheck: QualityTool
}

const loadModule = once((): Promise<typeof RuffWasm> => import("@astral-sh/ruff-wasm-nodejs"))

/** Whether `settings` already format in `style` (Ruff's defaults: 4 spaces, double quotes). */
const agrees = (settings: RuffSettings, style: FormatStyle): boolean =>
  (style.indent === undefined ||
    (style.indent === "tabs" ? "tab" : "space") === (settings.format?.["indent-style"] ?? "space")) &&
  (style.indentSize === undefined || style.indentSize === (settings["indent-width"] ?? 4)) &&
  (style.quotes === undefined || style.quotes === (settings.format?.["quote-style"] ?? "double"))

/**
 * `settings` with the indentation and quotes of `style` (Ruff's `indent-width`, `format.indent-style`,
 * `format.quote-style`); the very same settings when they agree already, so that they keep their workspace.
 */
export const withStyle = (settings: RuffSettings, style: FormatStyle): RuffSettings =>
  agrees(settings, style)
    ? settings
    : {
        ...settings,
        ...(style.indentSize === undefined ? {} : { "indent-width": style.indentSize }),
        format: {
          ...settings.format,
          ...(style.indent === undefined ? {} : { "indent-style": style.indent === "tabs" ? "tab" : "space" }),
          ...(style.quotes === undefined ? {} : { "quote-style": style.quotes })
        }
      }

/** A Ruff with its own workspace and `settings`. */
const make = (settings: RuffSettings = defaultSettings): Ruff => {
  // Columns in UTF-16 code units, as JavaScript strings and editors count them. One workspace per
  // style of formatting, the most recently used last; past a few, the oldest style's is dropped
  // (and collected: the wasm objects free themselves when garbage-collected).
  const workspaces = new Map<string, () => Promise<RuffWasm.Workspace>>()
  const workspaceFor = (applied: RuffSettings) => {
    const key = JSON.stringify(applied)
    const opened =
      workspaces.get(key) ??
      once(() => loadModule().then((ruff) => new ruff.Workspace(applied, ruff.PositionEncoding.Utf16)))
    workspaces.delete(key)
    workspaces.set(key, opened)
    for (const oldest of workspaces.keys()) {
      if (workspaces.size <= 8) break
      workspaces.delete(oldest)
    }
    return opened
  }

  const toolError = (path: string) => (error: unknown) =>
    new QualityToolError({ tool: toolName, path, cause: causeOf(error) })

  // The wasm calls are synchronous: one never interleaves with another on the workspace.
  const call = <A>(
    path: string,
    run: (workspace: RuffWasm.Workspace) => A,
    applied: RuffSettings = settings
  ): Effect.Effect<A, QualityToolError> =>
    Effect.tryPromise({ try: workspaceFor(applied), catch: toolError(path) }).pipe(
      Effect.flatMap((opened) => Effect.try({ try: () => run(opened), catch: toolError(path) }))
    )

  const lint = Effect.fn("Ruff.lint")(function* (code: string, path: string) {
    const raw: unknown = yield* call(path, (opened) => opened.check(code))
    const diagnostics = yield* decodeDiagnostics(raw).pipe(Effect.mapError(toolError(path)))
    return diagnostics.map(toIssue)
  })

  const format = Effect.fn("Ruff.format")(function* (code: string, path: string, style?: FormatStyle) {
    const applied = style === undefined || isDefaultStyle(style) ? settings : withStyle(settings, style)
    return yield* call(path, (opened) => opened.format(code), applied)
  })

  const formatter: Formatter = { name: toolName, format }
  const formatTool = formatCheck(formatter)
  return {
    lint,
    format,
    checkFormat: formatTool.check,
    linter: { name: toolName, check: lint },
    formatter,
    formatCheck: formatTool
  }
}

const standard = make()

/** Ruff with the default settings, plus `make` for other settings. */
export const Ruff = { ...standard, standard, make, defaultSettings, withStyle }
