/**
 * Which layout a file is formatted in, field by field: the request's conventions, else the
 * workspace's `.editorconfig`, else the habits of the file itself, else those of most of the
 * files of its language nearby. A formatter's own default only fills what none of them says.
 */
import { Effect, Option, Schema } from "effect"
import { type FormatStyle, IndentSize, mergeStyles } from "../domain/FormatStyle.ts"
import type { Conventions } from "../domain/Request.ts"
import { editorConfigStyle, type ReadFile } from "./EditorConfigStyle.ts"
import { detectStyle, majorityStyle } from "./StyleDetection.ts"

/** Where `resolveFormatStyle` looks. Paths are workspace-relative, with `/`. */
export interface StyleSources<E, R = never> {
  /** The file to format. */
  readonly path: string
  /** The request's conventions (`request.context.conventions`). */
  readonly conventions?: Conventions | undefined
  /** Reads a file of the workspace (`FileManager.read`: the staged state, within the path rules). */
  readonly read: ReadFile<E, R>
  /** Files of the workspace to learn habits from; those not of `extensions` are skipped. */
  readonly list?: Effect.Effect<ReadonlyArray<string>, E, R>
  /** The extensions of the file's language, with the dot (`LanguagePack.extensions`); by default the path's own. */
  readonly extensions?: ReadonlyArray<string>
  /** How many other files are read at most (12 by default), nearest folders first. */
  readonly sampleSize?: number
}

/** Folders of other people's or generated code: not the project's habits. */
const foreignFolder = /(^|\/)(node_modules|vendor|dist|build|target|out|\.git|\.tamma|__pycache__)\//

/** Only the start of a file is read for habits. */
const prefixRead = 64 * 1024

const extensionOf = (path: string): string => {
  const base = path.slice(path.lastIndexOf("/") + 1)
  const dot = base.lastIndexOf(".")
  return dot <= 0 ? "" : base.slice(dot).toLowerCase()
}

const sharedFolders = (a: string, b: string): number => {
  const left = a.split("/").slice(0, -1)
  const right = b.split("/").slice(0, -1)
  let shared = 0
  while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++
  return shared
}

/** The files to learn from: same language, not foreign, nearest to `path` first, at most `size`. */
export const sampleFiles = (
  path: string,
  candidates: ReadonlyArray<string>,
  extensions: ReadonlyArray<string>,
  size: number
): ReadonlyArray<string> => {
  const wanted = new Set(extensions.map((extension) => extension.toLowerCase()))
  return [...new Set(candidates)]
    .filter((candidate) => candidate !== path && wanted.has(extensionOf(candidate)) && !foreignFolder.test(candidate))
    .sort((a, b) => sharedFolders(path, b) - sharedFolders(path, a) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, size)
}

const decodeSize = Schema.decodeUnknownOption(IndentSize)

/** The conventions' layout; an indent size out of range (a request is input) is no convention. */
export const styleOfConventions = (conventions: Conventions | undefined): FormatStyle => {
  if (conventions === undefined) return {}
  const indentSize = Option.getOrUndefined(decodeSize(conventions.indentSize))
  return {
    ...(conventions.indent === undefined ? {} : { indent: conventions.indent }),
    ...(indentSize === undefined ? {} : { indentSize }),
    ...(conventions.quotes === undefined ? {} : { quotes: conventions.quotes }),
    ...(conventions.semicolons === undefined ? {} : { semicolons: conventions.semicolons })
  }
}

const complete = (style: FormatStyle): boolean =>
  style.indent !== undefined &&
  (style.indent === "tabs" || style.indentSize !== undefined) &&
  style.quotes !== undefined &&
  style.semicolons !== undefined

/**
 * The layout to format `path` in. Never fails: a file that cannot be read or listed is simply
 * not evidence. Reads the `.editorconfig` files above `path`, `path` itself, and at most
 * `sampleSize` other files of its language.
 */
export const resolveFormatStyle = Effect.fn("StyleResolution.resolveFormatStyle")(function* <E, R>(
  sources: StyleSources<E, R>
) {
  const readText = (path: string) =>
    sources.read(path).pipe(
      Effect.map((text) => text?.slice(0, prefixRead)),
      Effect.orElseSucceed(() => undefined)
    )
  const declared = mergeStyles(
    styleOfConventions(sources.conventions),
    yield* editorConfigStyle(sources.path, readText)
  )
  if (complete(declared)) return declared

  const own = yield* readText(sources.path)
  const fromFile = mergeStyles(declared, own === undefined ? {} : detectStyle(own))
  if (complete(fromFile) || sources.list === undefined) return fromFile

  const candidates = yield* sources.list.pipe(Effect.orElseSucceed((): ReadonlyArray<string> => []))
  const sample = sampleFiles(
    sources.path,
    candidates,
    sources.extensions ?? [extensionOf(sources.path)],
    sources.sampleSize ?? 12
  )
  const texts = yield* Effect.forEach(sample, readText, { concurrency: 4 })
  const habits = texts.filter((text) => text !== undefined).map(detectStyle)
  return mergeStyles(fromFile, majorityStyle(habits))
})
