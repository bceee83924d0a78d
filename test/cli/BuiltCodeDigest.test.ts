/**
 * The digest the build writes beside the bundles (scripts/build.ts) stands in for hashing them on
 * every run: it must be the digest of the built files themselves and change with any of them.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import {
  builtFolders,
  digestFileName,
  ownCodeDigest,
  ownCodeRoot,
  readBuiltDigest
} from "../../cli/handlers/OwnCodeDigest.ts"
import { bundle, writeCodeDigest } from "../../scripts/build.ts"
import { scratchFolders } from "./support/CliProcess.ts"

const { tempDir } = scratchFolders()

/** A `dist/` as the build lays it out: the CLI's bundles, the library's folders, the templates. */
const builtDist = async () => {
  const dist = tempDir("tamma-dist-")
  await bundle(path.join(dist, "cli"))
  for (const folder of ["core", "plugins", "templates"])
    fs.cpSync(path.join(ownCodeRoot, folder), path.join(dist, folder), { recursive: true })
  return dist
}

describe("the build's code digest", () => {
  it("is the digest of the built files, and changes when a bundle or a template does", async () => {
    const dist = await builtDist()
    const file = path.join(dist, "cli", digestFileName)
    const written = await writeCodeDigest(dist)
    expect(written).toMatch(/^[0-9a-f]{64}$/)
    expect(await readBuiltDigest(file)).toBe(written)
    // A fresh hash of what was built, the digest file itself left out.
    expect(await ownCodeDigest(dist, builtFolders)).toBe(written)
    // Written again over the same files: the same digest, its own file not counted.
    expect(await writeCodeDigest(dist)).toBe(written)

    const bin = path.join(dist, "cli", "bin.js")
    fs.appendFileSync(bin, "\n// one more line\n")
    const afterBundle = await writeCodeDigest(dist)
    expect(afterBundle).not.toBe(written)
    expect(await readBuiltDigest(file)).toBe(afterBundle)

    const template = fs
      .readdirSync(path.join(dist, "templates"), { recursive: true, withFileTypes: true })
      .find((entry) => entry.isFile())
    expect(template).toBeDefined()
    if (template === undefined) return
    fs.appendFileSync(path.join(template.parentPath, template.name), " ")
    expect(await writeCodeDigest(dist)).not.toBe(afterBundle)
  }, 60_000)

  it("reads as missing when the file is absent or not a digest, so the CLI hashes instead", async () => {
    const dir = tempDir("tamma-digest-")
    const file = path.join(dir, digestFileName)
    expect(await readBuiltDigest(file)).toBeUndefined()
    fs.writeFileSync(file, '{"digest":"not hex"}')
    expect(await readBuiltDigest(file)).toBeUndefined()
    fs.writeFileSync(file, '{"digest":')
    expect(await readBuiltDigest(file)).toBeUndefined()
    fs.writeFileSync(file, JSON.stringify({ digest: "a".repeat(64) }))
    expect(await readBuiltDigest(file)).toBe("a".repeat(64))
  })
})
