/**
 * A real workspace folder for the formatting-style tests, read through the node FileManager as
 * the pipeline reads it, and listed as a caller of `resolveFormatStyle` would list it.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect } from "effect"
import type { Conventions } from "../../../core/domain/Request.ts"
import { resolveFormatStyle } from "../../../core/pipeline/StyleResolution.ts"
import { FileManager } from "../../../core/services/FileManager.ts"
import { NodeFiles } from "../../../plugins/files/node/NodeWorkspace.ts"

/** A fresh folder holding `files` (workspace-relative path → content). */
export const makeWorkspace = (files: Readonly<Record<string, string>>): string => {
  const root = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-style-")))
  for (const [path, content] of Object.entries(files)) {
    const full = nodePath.join(root, path)
    fs.mkdirSync(nodePath.dirname(full), { recursive: true })
    fs.writeFileSync(full, content)
  }
  return root
}

/** Every file of `root`, workspace-relative with `/`. */
export const listFiles = (root: string): ReadonlyArray<string> =>
  fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => nodePath.relative(root, nodePath.join(entry.parentPath, entry.name)).split(nodePath.sep).join("/"))

/** The style of `path` in the workspace at `root`, read through its FileManager. */
export const styleIn = (
  root: string,
  path: string,
  options: { readonly conventions?: Conventions; readonly extensions?: ReadonlyArray<string> } = {}
) =>
  Effect.gen(function* () {
    const files = yield* FileManager
    return yield* resolveFormatStyle({
      path,
      conventions: options.conventions,
      extensions: options.extensions,
      read: files.read,
      list: Effect.sync(() => listFiles(root))
    })
  }).pipe(Effect.provide(NodeFiles.layer(root)))
