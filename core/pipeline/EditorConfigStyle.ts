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
      files.map((file) => ({ name: file.name, contents: Buffer.from(file.text) })),
      { root: virtualRoot }
    )
  ).pipe(Effect.orElseSucceed(() => ({})))
  return styleOfProperties(properties)
})
