/**
 * The layout `.editorconfig` files give a path: the sections of every `.editorconfig` from the
 * file's folder up to the workspace root (or to one marked `root = true`) that match the path, as
 * the `editorconfig` package resolves them. Files are read through the caller, so that the
 * staging area and the workspace's path rules apply; nothing outside the workspace is looked at.
 */
import { Buffer } from "node:buffer"
import { Effect, Option, Schema } from "effect"
import { type FormatStyle, IndentSize } from "../domain/FormatStyle.ts"

/** Reads a workspace-relative file; `undefined` when it does not exist. */
export type ReadFile<E, R = never> = (path: string) => Effect.Effect<string | undefined, E, R>

// The package works on absolute paths: the workspace stands at a fixed virtual root.
const virtualRoot = "/workspace"

/** `src/app/a.ts` → `src/app/.editorconfig`, `src/.editorconfig`, `.editorconfig`: nearest first. */
export const editorConfigPaths = (path: string): ReadonlyArray<string> => {
  const folders = path.split("/").slice(0, -1)
  const paths: Array<string> = []
  for (let depth = folders.length; depth >= 0; depth--) {
    paths.push([...folders.slice(0, depth), ".editorconfig"].join("/"))
  }
  return paths
}

/** Past this many patterns a section header is no real project's, and expanding it costs seconds. */
const patternsAllowed = 256

/**
 * How many patterns a section header expands to, or more: each `{a,b}` group multiplies by its
 * alternatives, each `{1..100}` by its range, and each `**` by 3 (the package rewrites it so).
 */
export const headerPatterns = (header: string): number => {
  let patterns = 3 ** (header.split("**").length - 1)
  const groups: Array<{ start: number; commas: number }> = []
  for (let index = 0; index < header.length && patterns <= patternsAllowed; index++) {
    const char = header[index]
    if (char === "\\") index++
    else if (char === "{") groups.push({ start: index, commas: 0 })
    else if (char === "," && groups.length > 0) {
      const group = groups[groups.length - 1]
      if (group !== undefined) group.commas++
    } else if (char === "}") {
      const group = groups.pop()
      if (group === undefined) continue
      const range = /^(-?\d+)\.\.(-?\d+)$/.exec(header.slice(group.start + 1, index))
      patterns *= range === null ? group.commas + 1 : Math.abs(Number(range[2]) - Number(range[1])) + 1
    }
  }
  return patterns
}

/** The text without its sections whose header would expand past `patternsAllowed` patterns. */
export const withoutHugeSections = (text: string): string => {
  let dropping = false
  return text
    .split("\n")
    .filter((line) => {
      const header = /^\s*\[(.*)\]\s*$/.exec(line)
      if (header !== null)
        dropping = (header[1] ?? "").length > 1024 || headerPatterns(header[1] ?? "") > patternsAllowed
      return !dropping
    })
    .join("\n")
}

const decodeSize = Schema.decodeUnknownOption(IndentSize)
const sizeOf = (value: unknown): number | undefined => Option.getOrUndefined(decodeSize(value))

/** The style of the resolved properties; values that are not valid (`indent_size = 400`, `quote_type = auto`) are ignored. */
export const styleOfProperties = (properties: Readonly<Record<string, unknown>>): FormatStyle => {
  const indentStyle = properties.indent_style
  const indent = indentStyle === "tab" ? "tabs" : indentStyle === "space" ? "spaces" : undefined
  // With tabs the width that shows is the tab's (the package fills `tab_width` from `indent_size`).
  const indentSize =
    indent === "tabs"
      ? (sizeOf(properties.tab_width) ?? sizeOf(properties.indent_size))
      : sizeOf(properties.indent_size)
  const quoteType = typeof properties.quote_type === "string" ? properties.quote_type.toLowerCase() : undefined
  const quotes = quoteType === "single" || quoteType === "double" ? quoteType : undefined
  return {
    ...(indent === undefined ? {} : { indent }),
    ...(indentSize === undefined ? {} : { indentSize }),
    ...(quotes === undefined ? {} : { quotes })
  }
}

/**
 * The style the workspace's `.editorconfig` files give `path` (workspace-relative); empty when
 * there are none. A file that cannot be read counts as absent.
 */
export const editorConfigStyle = Effect.fn("EditorConfigStyle.editorConfigStyle")(function* <E, R>(
  path: string,
  read: ReadFile<E, R>
) {
  const found = yield* Effect.forEach(editorConfigPaths(path), (configPath) =>
    read(configPath).pipe(
      Effect.orElseSucceed(() => undefined),
      Effect.map((text) => (text === undefined ? undefined : { name: `${virtualRoot}/${configPath}`, text }))
    )
  )
  const files = found.filter((file) => file !== undefined)
  if (files.length === 0) return {}
  const editorconfig = yield* Effect.promise(() => import("editorconfig"))
  const properties = yield* Effect.try(() =>
    editorconfig.parseFromFilesSync(
      `${virtualRoot}/${path}`,
      // The file is the workspace's, so untrusted: a header like `[{1..1000000}]` is dropped unexpanded.
      files.map((file) => ({ name: file.name, contents: Buffer.from(withoutHugeSections(file.text)) })),
      { root: virtualRoot }
    )
  ).pipe(Effect.orElseSucceed(() => ({})))
  return styleOfProperties(properties)
})
