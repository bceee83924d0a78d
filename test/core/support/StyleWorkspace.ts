/**
 * A real workspace folder for the formatting-style tests, read through the node FileManager as
 * the pipeline reads it, and listed with `nearbyFiles` on the node file system.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect } from "effect"
import type { Conventions } from "../../../core/domain/Request.ts"
import { nearbyFiles } from "../../../core/pipeline/NearbyFiles.ts"
import { resolveFormatStyle } from "../../../core/pipeline/StyleResolution.ts"
import { FileManager } from "../../../core/services/FileManager.ts"
import { NodeFiles } from "../../../plugins/files/node/NodeFiles.ts"

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

/** The style of `path` in the workspace at `root`, read through its FileManager. */
export const styleIn = (
  root: string,
  path: string,
  options: { readonly conventions?: Conventions; readonly extensions?: ReadonlyArray<string> } = {}
) =>
  Effect.gen(function* () {
    const files = yield* FileManager
    const extensions = options.extensions ?? [path.slice(path.lastIndexOf("."))]
    return yield* resolveFormatStyle({
      path,
      conventions: options.conventions,
      extensions,
      read: files.read,
      list: nearbyFiles({ root, path, extensions })
    })
  }).pipe(Effect.provide([NodeFiles.layer(root), NodeServices.layer]))
