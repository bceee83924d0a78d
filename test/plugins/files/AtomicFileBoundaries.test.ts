/**
 * Atomic writes on a real disk: the temp file's name at the name-length limit and the pattern
 * that recognises a leftover, the mode a replaced file keeps, and what each helper leaves behind
 * when it fails.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import {
  ensureParent,
  isTempName,
  putContent,
  removeEmptyFolders,
  removeFile,
  removeTempLeftovers,
  syncFolders,
  tempPathFor,
  writeAtomic
} from "../../../plugins/files/node/AtomicFile.ts"

let root = ""
beforeEach(() => {
  root = fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-atomic-"))
})
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

const at = (...parts: ReadonlyArray<string>) => nodePath.join(root, ...parts)

describe("temp names", () => {
  it("puts the temp file beside the file, hidden, and recognisable as a leftover", () => {
    const temp = tempPathFor(at("src", "a.ts"))
    expect(nodePath.dirname(temp)).toBe(at("src"))
    expect(nodePath.basename(temp)).toMatch(/^\.a\.ts\.tamma-[0-9a-f]{12}\.tmp$/)
    expect(isTempName(nodePath.basename(temp))).toBe(true)
    expect(tempPathFor(at("a.ts"))).not.toBe(temp)
  })

  it("cuts a long name to 200 bytes so the temp name stays within 255", () => {
    const exact = "n".repeat(200)
    expect(nodePath.basename(tempPathFor(at(exact)))).toMatch(new RegExp(`^\\.${exact}\\.tamma-`))
    const long = `${"m".repeat(200)}${"x".repeat(55)}`
    const name = nodePath.basename(tempPathFor(at(long)))
    expect(name.startsWith(`.${"m".repeat(200)}.tamma-`)).toBe(true)
    expect(Buffer.byteLength(name)).toBe(1 + 200 + ".tamma-".length + 12 + ".tmp".length)
  })

  it.each([
    ["a.ts.tamma-0123456789ab.tmp", "not hidden"],
    [".a.ts.tamma-0123456789a.tmp", "11 hex digits"],
    [".a.ts.tamma-0123456789abc.tmp", "13 hex digits"],
    [".a.ts.tamma-0123456789AB.tmp", "upper-case hex"],
    [".a.ts.tamma-0123456789ab.tmp.bak", "something after"],
    [".a.ts.tamma-0123456789ab.tmpx", "a longer suffix"],
    ["x.a.ts.tamma-0123456789ab.tmp", "a dot only inside"],
    [".a.ts-0123456789ab.tmp", "not ours"]
  ])("does not take %j for a leftover (%s)", (name) => {
    expect(isTempName(name)).toBe(false)
  })

  it("removes only the leftovers, in every folder given, and passes over a folder that is gone", async () => {
    fs.mkdirSync(at("src"))
    fs.writeFileSync(at(".a.ts.tamma-0123456789ab.tmp"), "half")
    fs.writeFileSync(at("src", ".b.ts.tamma-abcdef012345.tmp"), "half")
    fs.writeFileSync(at("src", "b.ts"), "kept")
    fs.writeFileSync(at(".gitignore"), "kept")
    await removeTempLeftovers([root, at("src"), at("gone")])
    expect(fs.readdirSync(root).sort()).toEqual([".gitignore", "src"])
    expect(fs.readdirSync(at("src"))).toEqual(["b.ts"])
  })
})

describe("folders", () => {
  it("creates the missing folders above a file and names them outermost first", async () => {
    expect(await ensureParent(at("a", "b", "c", "file.ts"))).toEqual([at("a"), at("a", "b"), at("a", "b", "c")])
    expect(fs.statSync(at("a", "b", "c")).isDirectory()).toBe(true)
    // Only the ones it created: `a` exists now.
    expect(await ensureParent(at("a", "d", "file.ts"))).toEqual([at("a", "d")])
    expect(await ensureParent(at("a", "d", "other.ts"))).toEqual([])
  })

  it("removes created folders deepest first, leaving one that is not empty", async () => {
    fs.mkdirSync(at("a", "b", "c"), { recursive: true })
    fs.mkdirSync(at("x", "y"), { recursive: true })
    fs.writeFileSync(at("x", "keep.ts"), "")
    // Given outermost first, as ensureParent names them.
    await removeEmptyFolders([at("a"), at("a", "b"), at("a", "b", "c"), at("x"), at("x", "y")])
    expect(fs.existsSync(at("a"))).toBe(false)
    expect(fs.readdirSync(at("x"))).toEqual(["keep.ts"])
  })

  it("syncs folders, and passes over one that cannot be opened", async () => {
    await expect(syncFolders([root, at("missing")])).resolves.toBeUndefined()
  })
})

describe("writing and removing", () => {
  it("replaces a file's content, keeping its mode, and leaves no temp file", async () => {
    fs.writeFileSync(at("run.sh"), "old")
    fs.chmodSync(at("run.sh"), 0o750)
    await writeAtomic(at("run.sh"), "new")
    expect(fs.readFileSync(at("run.sh"), "utf8")).toBe("new")
    expect(fs.statSync(at("run.sh")).mode & 0o7777).toBe(0o750)
    expect(fs.readdirSync(root)).toEqual(["run.sh"])
  })

  it("creates a new file with the default mode less the umask, in UTF-8", async () => {
    await writeAtomic(at("new.ts"), "é")
    const umask = process.umask()
    expect(fs.statSync(at("new.ts")).mode & 0o777).toBe(0o666 & ~umask)
    expect(fs.readFileSync(at("new.ts"))).toEqual(Buffer.from("é", "utf8"))
  })

  it("when the rename fails, removes its temp file and leaves the target as it was", async () => {
    fs.mkdirSync(at("target"))
    fs.writeFileSync(at("target", "inside"), "kept")
    await expect(writeAtomic(at("target"), "content")).rejects.toThrow()
    expect(fs.readdirSync(root)).toEqual(["target"])
    expect(fs.readdirSync(at("target"))).toEqual(["inside"])
  })

  it("removes a file, takes an absent one as removed, and reports any other failure", async () => {
    fs.writeFileSync(at("a.ts"), "")
    await removeFile(at("a.ts"))
    expect(fs.existsSync(at("a.ts"))).toBe(false)
    await expect(removeFile(at("a.ts"))).resolves.toBeUndefined()
    fs.mkdirSync(at("folder"))
    await expect(removeFile(at("folder"))).rejects.toThrow()
  })

  it("puts content with its folders, removes it for undefined, and undoes the folders when the write fails", async () => {
    expect(await putContent(at("p", "q", "a.ts"), "a")).toEqual([at("p"), at("p", "q")])
    expect(fs.readFileSync(at("p", "q", "a.ts"), "utf8")).toBe("a")
    expect(await putContent(at("p", "q", "a.ts"), undefined)).toEqual([])
    expect(fs.existsSync(at("p", "q", "a.ts"))).toBe(false)
    // A name too long for the file system: the temp file (cut to 200 bytes) is written, the rename fails.
    const tooLong = "z".repeat(300)
    await expect(putContent(at("r", "s", tooLong), "x")).rejects.toThrow()
    expect(fs.existsSync(at("r"))).toBe(false)
  })
})
