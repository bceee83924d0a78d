/**
 * Reading template packs from folders: `template.json` plus `files/**.njk`, and a language's
 * shared partials from `<language>/_partials/`.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect, Schema } from "effect"
import { Template, TemplateFile, TemplateManifest } from "../../../core/domain/Template.ts"
import { FileSystemError, TemplateInvalidError, TemplateProblem } from "../../../core/errors.ts"

const decodeManifest = Schema.decodeUnknownEffect(Schema.fromJsonString(TemplateManifest))

export const fsError = (target: string, operation: string) => (error: unknown) =>
  new FileSystemError({ path: target, operation, cause: error instanceof Error ? error.message : String(error) })

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
export const listFiles = (dir: string): Effect.Effect<ReadonlyArray<string>, FileSystemError> =>
  Effect.tryPromise({
    try: async () => {
      const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true })
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
        .sort()
    },
    catch: fsError(dir, "list")
  })

export const readText = (file: string) =>
  Effect.tryPromise({ try: () => fs.readFile(file, "utf8"), catch: fsError(file, "read") })

export const exists = (target: string) =>
  Effect.promise(() =>
    fs.stat(target).then(
      () => true,
      () => false
    )
  )

/** The content hash of a template: manifest and files, in a stable order. */
export const templateHash = (manifestText: string, files: ReadonlyArray<TemplateFile>): string => {
  const hash = createHash("sha256").update(manifestText)
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update("\0").update(file.path).update("\0").update(file.source)
  }
  return hash.digest("hex")
}

/** The partials of a language: `<root>/<language>/_partials/**.njk`, keyed by their relative path. */
export const loadPartials = Effect.fnUntraced(function* (root: string, language: string) {
  const dir = path.join(root, language, "_partials")
  if (!(yield* exists(dir))) return {}
  const partials: Record<string, string> = {}
  for (const file of yield* listFiles(dir)) partials[file] = yield* readText(path.join(dir, file))
  return partials
})

/** Reads the manifest of a pack folder. */
export const readManifest = Effect.fnUntraced(function* (dir: string) {
  const text = yield* readText(path.join(dir, "template.json"))
  const manifest = yield* decodeManifest(text).pipe(
    Effect.mapError(
      (error) =>
        new TemplateInvalidError({
          id: path.basename(dir),
          problems: [new TemplateProblem({ file: "template.json", rule: "manifest", message: error.message })]
        })
    )
  )
  return { manifest, text }
})

/** Loads a pack folder as a Template. */
export const loadPackFolder = Effect.fnUntraced(function* (
  dir: string,
  source: Template["source"],
  partials: Readonly<Record<string, string>>
) {
  const { manifest, text } = yield* readManifest(dir)
  const filesDir = path.join(dir, "files")
  const names = (yield* exists(filesDir)) ? yield* listFiles(filesDir) : []
  const files: Array<TemplateFile> = []
  for (const name of names) {
    if (!name.endsWith(".njk")) continue
    files.push(new TemplateFile({ path: name.slice(0, -4), source: yield* readText(path.join(filesDir, name)) }))
  }
  if (files.length === 0) {
    return yield* new TemplateInvalidError({
      id: manifest.id,
      problems: [
        new TemplateProblem({ file: "files/", rule: "no-files", message: "a template needs at least one .njk file" })
      ]
    })
  }
  return new Template({ manifest, files, partials, source, hash: templateHash(text, files) })
})
