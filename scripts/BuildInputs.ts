/**
 * What the CLI's bundles are built from, and a stamp of it the build writes beside them
 * (scripts/build.ts) so that bench/BuiltBin.ts can tell a bin built from the files as they are
 * now. The stamp is taken before the build reads a file: one saved while the build runs changes
 * it, where comparing mtimes with the bundle's would count the bundle newer.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { Option, Schema } from "effect"

/** The sources, the templates, the build scripts and the manifest. */
const inputs = ["cli", "core", "plugins", "presets", "templates", "scripts", "package.json"] as const

/** The stamp's name, in the folder holding the build's `cli/` (not in it: it is no code to digest). */
export const inputsStampName = "build-inputs.json"

/**
 * Each input file's path, size and mtime, hashed: a save, a new file or a removed one changes it,
 * without reading ~1,000 files.
 */
export const inputsFingerprint = (root: string): string => {
  const hash = createHash("sha256")
  for (const input of inputs) {
    const top = path.join(root, input)
    const stat = fs.statSync(top, { throwIfNoEntry: false })
    if (stat === undefined) continue
    const files = stat.isDirectory()
      ? fs
          .readdirSync(top, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => path.join(entry.parentPath, entry.name))
          .sort()
      : [top]
    for (const file of files) {
      const { size, mtimeMs } = fs.statSync(file)
      hash.update(`${path.relative(root, file)}\0${size}\0${mtimeMs}\0`)
    }
  }
  return hash.digest("hex")
}

const Stamp = Schema.Struct({ inputs: Schema.String })
const decodeStamp = Schema.decodeUnknownOption(Schema.fromJsonString(Stamp))

/** Writes `fingerprint` as the stamp of the build in `buildDir` (aside, then renamed: whole or none). */
export const writeInputsStamp = (buildDir: string, fingerprint: string) => {
  const file = path.join(buildDir, inputsStampName)
  const aside = `${file}.${process.pid}`
  fs.writeFileSync(aside, `${JSON.stringify({ inputs: fingerprint })}\n`)
  fs.renameSync(aside, file)
}

/** The fingerprint the build in `buildDir` was made from, or undefined without a readable stamp. */
export const readInputsStamp = (buildDir: string): string | undefined => {
  try {
    const text = fs.readFileSync(path.join(buildDir, inputsStampName), "utf8")
    return Option.getOrUndefined(Option.map(decodeStamp(text), (stamp) => stamp.inputs))
  } catch {
    return undefined
  }
}
