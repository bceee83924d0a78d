/**
 * Biome (the Node.js wasm build behind `@biomejs/js-api`): format, lint and a format check for
 * JavaScript, TypeScript and JSON, in a thread of its own (BiomeWorker.ts) so that its wasm runs
 * beside the other tools of a check. The thread starts and compiles the wasm on first use, once
 * per process; importing this module loads nothing. A lint asks the native CLI of the same version
 * first (NativeVerdict.ts), which gives the same findings without the thread's second of start-up;
 * so does a format check until the thread runs. The thread lints only where the CLI cannot.
 */
import { createHash } from "node:crypto"
import type { Configuration } from "@biomejs/js-api/nodejs"
import { Effect, Schema } from "effect"
import { type FormatStyle, isDefaultStyle } from "../../../core/domain/FormatStyle.ts"
import { QualityIssue } from "../../../core/domain/Quality.ts"
import { QualityToolError } from "../../../core/errors.ts"
import type { Formatter, QualityTool } from "../../../core/services/LanguageRegistry.ts"
import { formatCheck } from "../FormatCheck.ts"
import { causeOf } from "../Loading.ts"
import * as ToolThread from "../thread/ToolThread.ts"
import * as BiomeConfig from "./BiomeConfig.ts"
import type { BiomeRequest } from "./BiomeWorker.ts"
import { isSyntax, syntaxErrorMessage, toolName } from "./Diagnostics.ts"
import * as NativeVerdict from "./NativeVerdict.ts"

/** A configured Biome: its operations, and the same operations shaped for a language pack. */
export interface Biome {
  /** The formatted code in `style`; fails when the code does not parse instead of returning it unchanged. */
  readonly format: (code: string, path: string, style?: FormatStyle) => Effect.Effect<string, QualityToolError>
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

/** What the thread answers: the issues of a lint; the formatted code, or why the code does not parse. */
const Answer = Schema.Union([
  Schema.Struct({ issues: Schema.Array(QualityIssue) }),
  Schema.Struct({ content: Schema.String }),
  Schema.Struct({ syntaxError: Schema.String })
])

type Answer = typeof Answer.Type

// One thread for every configured instance; it keeps a workspace per configuration.
const thread = ToolThread.make<BiomeRequest, Answer>({
  name: "Biome",
  entry: ToolThread.entryBeside(import.meta.url, "BiomeWorker"),
  result: Answer
})

/**
 * Until the thread is asked something, a format check first asks the native CLI (NativeVerdict.ts),
 * whose answer spares the thread's start; once it runs, it prints the layout as fast. A lint asks
 * the CLI either way: its findings then do not depend on what ran before (the fix hints differ).
 */
let threadStarted = false

/**
 * Digests of the code whose lint the wasm thread answered in this thread: its fix hints read
 * otherwise than the native CLI's, so a report of it must not be cached as the native CLI's
 * (the native CLI hands a failed run to the thread, and may turn itself off midway).
 */
const lintedInThread = new Set<string>()
const digestOf = (code: string) => createHash("sha256").update(code).digest("hex")

/** Whether the wasm thread, not the native CLI, answered a lint of `code` in this thread. */
export const threadLinted = (code: string): boolean => lintedInThread.has(digestOf(code))

const decodeIssues = Schema.decodeUnknownEffect(Schema.Array(QualityIssue))

/**
 * Why code the native CLI found not parsing cannot be formatted, worded as the thread words it
 * (`describeSyntaxErrors`: the first syntax error, and how many more); `undefined` when it parses
 * or the CLI did not lint it (a file over its limits: the thread formats it).
 */
const syntaxErrorOf = (verdict: NativeVerdict.Verdict): string | undefined => {
  if (verdict.parses || verdict.issues === undefined) return undefined
  const errors = verdict.issues.filter((issue) => issue.category === "syntax" && issue.severity === "error")
  const [first] = errors
  if (first === undefined || errors.some((issue) => !isSyntax({ category: issue.rule, severity: issue.severity })))
    return undefined
  return syntaxErrorMessage(first, errors.length)
}

/** A Biome with its own workspace and `configuration` (by default: recommended rules, the default style). */
const make = (configuration: Configuration = BiomeConfig.configuration()): Biome => {
  const call = (op: BiomeRequest["op"], code: string, path: string, style?: FormatStyle) => {
    // Each style is a configuration of its own, and so a workspace of its own in the thread.
    const applied =
      style === undefined || isDefaultStyle(style) ? configuration : BiomeConfig.withStyle(configuration, style)
    const key = JSON.stringify(applied)
    const inThread = () =>
      Effect.tryPromise({
        try: (signal) => {
          threadStarted = true
          if (op === "lint") lintedInThread.add(digestOf(code))
          return thread.request({ op, key, configuration: applied, path, code }, signal)
        },
        catch: (error) => new QualityToolError({ tool: toolName, path, cause: causeOf(error) })
      })
    // A running thread prints a layout as fast as the CLI starts.
    if (op !== "lint" && threadStarted) return inThread()
    return Effect.promise((signal) => NativeVerdict.verdict(code, path, applied, key, signal)).pipe(
      Effect.flatMap((verdict): Effect.Effect<Answer, QualityToolError> => {
        if (verdict === undefined) return inThread()
        if (op === "fix") {
          // Formatted, and no assist to apply: the fix leaves the code as it is (the tools' warm-up
          // formats empty code). Code that does not parse has no layout, and the thread would say
          // so as `syntaxErrorOf` does (the warm-up's empty JSON does not parse). Otherwise the
          // printed text after the assists' edits is the thread's.
          const assisted = verdict.issues?.some((issue) => issue.rule.startsWith("assist/")) ?? true
          if (verdict.formatClean && verdict.parses && !assisted) return Effect.succeed({ content: code })
          const syntaxError = syntaxErrorOf(verdict)
          return syntaxError === undefined ? inThread() : Effect.succeed({ syntaxError })
        }
        if (op === "lint") {
          if (verdict.issues === undefined) return inThread()
          return decodeIssues(verdict.issues).pipe(
            Effect.map((issues) => ({ issues })),
            Effect.mapError((error) => new QualityToolError({ tool: toolName, path, cause: causeOf(error) }))
          )
        }
        if (verdict.formatClean) return Effect.succeed({ content: code })
        // Code that does not parse is not formatted, as in the thread; the lint says why.
        if (!verdict.parses) return Effect.succeed({ syntaxError: "Biome found a syntax error" })
        // Not formatted, and it parses: the CLI prints the layout the thread would (same version);
        // any doubt (a run that failed) goes to the thread.
        return Effect.promise((signal) => NativeVerdict.formatted(code, path, applied, key, signal)).pipe(
          Effect.flatMap((content) => (content === undefined ? inThread() : Effect.succeed<Answer>({ content })))
        )
      })
    )
  }

  const printed = (op: "format" | "fix") =>
    Effect.fn("Biome.format")(function* (code: string, path: string, style?: FormatStyle) {
      const answer = yield* call(op, code, path, style)
      if ("content" in answer) return answer.content
      return yield* new QualityToolError({
        tool: toolName,
        path,
        cause: "syntaxError" in answer ? answer.syntaxError : "Biome answered a format with issues"
      })
    })
  // Formatting applies the safe assists too (imports organized), as `biome check --write` does;
  // the format check holds a file to the layout alone, since the linter reports the assists.
  const format = printed("fix")

  const lint = Effect.fn("Biome.lint")(function* (code: string, path: string) {
    const answer = yield* call("lint", code, path)
    if ("issues" in answer) return answer.issues
    return yield* new QualityToolError({ tool: toolName, path, cause: "Biome answered a lint with no issues list" })
  })

  const formatter = { name: toolName, format }
  const formatTool = formatCheck({ name: toolName, format: printed("format") }, "Biome")

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
