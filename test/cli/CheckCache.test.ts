import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { beforeEach, describe, expect, it } from "vitest"
import { type CachedCheckOptions, cachedCheck } from "../../cli/handlers/CheckCache.ts"
import { type CheckOutcome, FileReport } from "../../cli/handlers/CheckFiles.ts"
import { ownCodeDigest, ownCodeRoot, thisCodeDigest } from "../../cli/handlers/OwnCodeDigest.ts"
import { QualityIssue } from "../../core/domain/Quality.ts"
import { findSetup } from "../../plugins/quality/biome/NativeSetup.ts"
import { cliSync, scratchFolders, writeTree } from "./support/CliProcess.ts"

const { tempDir } = scratchFolders()

beforeEach(() => {
  // The signing secret lives in the user's cache folder: one of the test's own.
  process.env.XDG_CACHE_HOME = tempDir("tamma-user-cache-")
})

/** A checker that records which files it was asked to check: the tools' runs, observable. */
const counting = () => {
  const calls: Array<ReadonlyArray<string>> = []
  const check = (files: ReadonlyArray<string>, _withoutEslint: ReadonlyArray<string>) =>
    Effect.sync((): ReadonlyArray<CheckOutcome> => {
      calls.push(files)
      return files.map(
        (file) =>
          new FileReport({
            path: file,
            language: "typescript",
            score: 0.5,
            issues: [
              new QualityIssue({
                severity: "error",
                category: "security",
                rule: "eval",
                message: `in ${path.basename(file)}: ${fs.readFileSync(file, "utf8").trim()}`,
                line: 1,
                column: 1,
                tool: "rules"
              })
            ]
          })
      )
    })
  return { calls, check }
}

const workspace = () => {
  const dir = tempDir("tamma-cache-")
  writeTree(dir, { "a.ts": "eval(a)\n", "b.ts": "eval(b)\n", "c.ts": "eval(c)\n" })
  return { dir, files: ["a.ts", "b.ts", "c.ts"].map((name) => path.join(dir, name)) }
}

const tools = { "@tamma/codegen": "1.0.0", eslint: "10.0.0" }
const options = (dir: string, over: Partial<CachedCheckOptions> = {}): CachedCheckOptions => ({
  workspace: dir,
  language: undefined,
  maxBytes: 1024 * 1024,
  withoutEslint: [],
  enabled: true,
  tools,
  ...over
})

const run = (files: ReadonlyArray<string>, opts: CachedCheckOptions, check: ReturnType<typeof counting>["check"]) =>
  Effect.runPromise(cachedCheck(files, opts, check))

describe("the content-hash cache of validate", () => {
  it("does not check an unchanged file again, and gives back the same report", async () => {
    const { dir, files } = workspace()
    const first = counting()
    const cold = await run(files, options(dir), first.check)
    expect(first.calls).toEqual([files])
    expect(cold.cached).toBe(0)
    expect(fs.existsSync(path.join(dir, ".tamma", "cache", "validate.json"))).toBe(true)

    const second = counting()
    const warm = await run(files, options(dir), second.check)
    expect(second.calls).toEqual([])
    expect(warm.cached).toBe(3)
    expect(warm.outcomes).toEqual(cold.outcomes)
  })

  it("checks a changed file again, and only it", async () => {
    const { dir, files } = workspace()
    await run(files, options(dir), counting().check)
    fs.writeFileSync(files[1] ?? "", "eval(changed)\n")
    const second = counting()
    const result = await run(files, options(dir), second.check)
    expect(second.calls).toEqual([[files[1]]])
    expect(result.cached).toBe(2)
    const report = result.outcomes[1]
    expect(report instanceof FileReport && report.issues[0]?.message).toContain("eval(changed)")
  })

  it("misses on another tool version, another configuration or ESLint turned on or off", async () => {
    const { dir, files } = workspace()
    await run(files, options(dir), counting().check)
    for (const changed of [
      { tools: { ...tools, eslint: "10.0.1" } },
      { language: "javascript" },
      { maxBytes: 4096 },
      { withoutEslint: files }
    ]) {
      const again = counting()
      await run(files, options(dir, changed), again.check)
      expect(again.calls).toEqual([files])
    }
  })

  it("ignores a corrupted cache file and replaces it", async () => {
    const { dir, files } = workspace()
    writeTree(dir, { ".tamma/cache/validate.json": '{"version":1,"entries":{"x":' })
    const first = counting()
    await run(files, options(dir), first.check)
    expect(first.calls).toEqual([files])
    const second = counting()
    await run(files, options(dir), second.check)
    expect(second.calls).toEqual([])
  })

  it("ignores entries it did not sign: a planted clean report for a hostile file is not believed", async () => {
    const { dir, files } = workspace()
    await run(files, options(dir), counting().check)
    const cacheFile = path.join(dir, ".tamma", "cache", "validate.json")
    const stored = JSON.parse(fs.readFileSync(cacheFile, "utf8"))
    // Another user's secret: the same key, a clean report, signed with the wrong secret.
    for (const entry of Object.values<{ report: string; mac: string }>(stored.entries)) {
      const report = JSON.parse(entry.report)
      entry.report = JSON.stringify({ ...report, score: 1, issues: [] })
    }
    fs.writeFileSync(cacheFile, JSON.stringify(stored))
    const again = counting()
    const result = await run(files, options(dir), again.check)
    expect(again.calls).toEqual([files])
    expect(result.outcomes.every((outcome) => outcome instanceof FileReport && outcome.issues.length === 1)).toBe(true)
  })

  it("with the cache off checks every file and writes nothing", async () => {
    const { dir, files } = workspace()
    await run(files, options(dir), counting().check)
    const off = counting()
    await run(files, options(dir, { enabled: false }), off.check)
    expect(off.calls).toEqual([files])
    const fresh = workspace()
    await run(fresh.files, options(fresh.dir, { enabled: false }), counting().check)
    expect(fs.existsSync(path.join(fresh.dir, ".tamma"))).toBe(false)
  })

  it("writes nothing through a symlink planted in the cache folder's place", async () => {
    const { dir, files } = workspace()
    const elsewhere = tempDir("tamma-elsewhere-")
    fs.mkdirSync(path.join(dir, ".tamma"))
    fs.symlinkSync(elsewhere, path.join(dir, ".tamma", "cache"))
    const first = counting()
    await run(files, options(dir), first.check)
    expect(first.calls).toEqual([files])
    expect(fs.readdirSync(elsewhere)).toEqual([])
  })

  it("misses when our own code changes under the same version: a rule edited in a copy of the package", async () => {
    const copy = tempDir("tamma-own-code-")
    for (const folder of ["cli", "core", "plugins"]) {
      fs.cpSync(path.join(ownCodeRoot, folder), path.join(copy, folder), { recursive: true, preserveTimestamps: true })
    }
    const before = await ownCodeDigest(copy)
    expect(before).toMatch(/^[0-9a-f]{64}$/)
    expect(await ownCodeDigest(copy)).toBe(before)

    const { dir, files } = workspace()
    await run(files, options(dir, { code: before }), counting().check)
    const unchanged = counting()
    await run(files, options(dir, { code: before }), unchanged.check)
    expect(unchanged.calls).toEqual([])

    // One character of a rule changed, same size, mtime put back: only the contents tell.
    const rule = path.join(copy, "plugins", "languages", "typescript", "SecurityRules.ts")
    const stat = fs.statSync(rule)
    const text = fs.readFileSync(rule, "utf8")
    const edited = text.replace("critical", "criticaL")
    expect(edited).not.toBe(text)
    fs.writeFileSync(rule, edited)
    fs.utimesSync(rule, stat.atime, stat.mtime)
    const after = await ownCodeDigest(copy)
    expect(after).not.toBe(before)

    const changed = counting()
    await run(files, options(dir, { code: after }), changed.check)
    expect(changed.calls).toEqual([files])
  })

  it("keys by the digest of the code running unless told another", async () => {
    expect(fs.existsSync(path.join(ownCodeRoot, "cli", "handlers", "CheckCache.ts"))).toBe(true)
    expect(await thisCodeDigest()).toMatch(/^[0-9a-f]{64}$/)
    const { dir, files } = workspace()
    await run(files, options(dir), counting().check)
    const other = counting()
    await run(files, options(dir, { code: "0".repeat(64) }), other.check)
    expect(other.calls).toEqual([files])
    const same = counting()
    await run(files, options(dir), same.check)
    expect(same.calls).toEqual([])
  })

  it("keys by which build of Biome answers: a report cached with the native CLI is not given back without it", async () => {
    const { dir, files } = workspace()
    await run(files, options(dir, { biomeNative: true }), counting().check)
    const wasm = counting()
    await run(files, options(dir, { biomeNative: false }), wasm.check)
    expect(wasm.calls).toEqual([files])
    const native = counting()
    await run(files, options(dir, { biomeNative: true }), native.check)
    expect(native.calls).toEqual([])

    // By default, from this machine: with no bubblewrap on the PATH the wasm build answers.
    const fresh = workspace()
    await run(fresh.files, options(fresh.dir), counting().check)
    const found = findSetup() !== undefined
    const path = process.env.PATH
    process.env.PATH = ""
    try {
      const withoutBwrap = counting()
      await run(fresh.files, options(fresh.dir), withoutBwrap.check)
      expect(withoutBwrap.calls).toEqual(found ? [fresh.files] : [])
    } finally {
      process.env.PATH = path
    }
  })
})

describe("validate's cache when the native CLI is found but the wasm build answers", () => {
  it("does not keep a report of the wasm build under the native CLI's key: a bubblewrap that fails every run", () => {
    const dir = writeTree(tempDir("tamma-cache-fallback-"), { "src/a.ts": "export const a = 1\n" })
    // Found on the PATH, so the key says the native CLI answers; every confined run fails, as
    // with user namespaces turned off, and the wasm build answers instead.
    const bin = writeTree(tempDir("tamma-failing-bwrap-"), { bwrap: "#!/bin/sh\nexit 1\n" })
    fs.chmodSync(path.join(bin, "bwrap"), 0o755)
    const cache = tempDir("tamma-user-cache-")
    const validate = () => {
      const run = cliSync(["validate", "src", "--json"], {
        cwd: dir,
        env: { PATH: `${bin}:${process.env.PATH ?? ""}`, XDG_CACHE_HOME: cache },
        timeout: 120_000
      })
      return JSON.parse(run.stdout) as { cached: number; files: Array<{ biomeWasm?: boolean }> }
    }
    const first = validate()
    expect(first.files[0]?.biomeWasm).toBe(true)
    expect(validate().cached).toBe(0)
  }, 240_000)
})
