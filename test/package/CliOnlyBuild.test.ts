/**
 * `scripts/build.ts --cli-only`, what the benches run when the bin is stale, on a copy of the
 * checkout: a bin already running keeps the bundles it started with, two builds at once both
 * succeed, and a source saved while a build runs leaves the bin stale.
 */
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { isFresh } from "../../bench/BuiltBin.ts"
import { checkout } from "./support/PackedProject.ts"

let copy = ""
const bin = () => path.join(copy, "dist", "cli", "bin.js")
const validateSource = () => path.join(copy, "cli", "handlers", "Validate.ts")

const build = () => {
  const ran = spawnSync(process.execPath, [path.join(copy, "scripts", "build.ts"), "--cli-only"], {
    cwd: copy,
    encoding: "utf8"
  })
  expect(ran.stderr).toBe("")
  expect(ran.status).toBe(0)
}

const buildAsync = () =>
  new Promise<{ readonly status: number | null; readonly stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(copy, "scripts", "build.ts"), "--cli-only"], { cwd: copy })
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on("close", (status) => resolve({ status, stderr }))
  })

/** A change to the validate handler: its chunk's name (and hash) changes with it. */
const editValidate = (mark: string) =>
  fs.appendFileSync(validateSource(), `\nexport const buildMark${mark} = ${JSON.stringify(mark)}\n`)

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-cli-build-"))
  for (const folder of ["cli", "core", "plugins", "presets", "templates", "scripts"])
    fs.cpSync(path.join(checkout, folder), path.join(copy, folder), { recursive: true })
  fs.copyFileSync(path.join(checkout, "package.json"), path.join(copy, "package.json"))
  fs.symlinkSync(path.join(checkout, "node_modules"), path.join(copy, "node_modules"))
  build()
}, 120_000)

afterAll(() => {
  if (copy !== "") fs.rmSync(copy, { recursive: true, force: true })
})

describe("a CLI-only build", () => {
  it("leaves a bin started before it every file of its own build, and its chunks", () => {
    // What a running bin resolves its later imports and workers against: its entry's real folder.
    const folder = path.dirname(fs.realpathSync(bin()))
    const files = fs.readdirSync(folder).filter((name) => name.endsWith(".js"))
    const chunk = files.find((name) => /^Validate-[A-Z0-9]+\.js$/.test(name))
    expect(chunk).toBeDefined()
    const before = new Map(files.map((name) => [name, fs.readFileSync(path.join(folder, name), "utf8")]))
    editValidate("A")
    build()
    // The rebuilt bin loads a chunk of another name…
    const rebuilt = fs.readdirSync(path.dirname(fs.realpathSync(bin())))
    expect(rebuilt).not.toContain(chunk)
    // …and the old one still finds each of its files, unchanged, where it started.
    for (const [name, text] of before) expect(fs.readFileSync(path.join(folder, name), "utf8")).toBe(text)
    // The templates a bundle reads are those of its own build (core/PackageRoot.ts: beside its folder).
    expect(fs.existsSync(path.join(path.dirname(fs.realpathSync(bin())), "..", "templates", "prompts"))).toBe(true)
  }, 120_000)

  it("runs the rebuilt bin", () => {
    const ran = spawnSync(process.execPath, [bin(), "--help"], { cwd: copy, encoding: "utf8" })
    expect(ran.stderr).toBe("")
    expect(ran.stdout).toContain("validate")
    expect(ran.status).toBe(0)
  }, 60_000)

  it("knows the checkout for its package: refuses it as a default workspace", () => {
    const request = path.join(checkout, "examples", "demo", "requests", "01-text-helpers.json")
    // Without npm's INIT_CWD, which would name the folder to use instead of the package's own.
    const { INIT_CWD: _, ...env } = process.env
    const ran = spawnSync(process.execPath, [bin(), "generate", "--request", request, "--dry-run"], {
      cwd: copy,
      env,
      encoding: "utf8"
    })
    expect(ran.stderr).toContain("own checkout, never a default workspace")
    expect(ran.status).toBe(2)
  }, 60_000)

  it("succeeds twice when two builds run at once", async () => {
    editValidate("B")
    const both = await Promise.all([buildAsync(), buildAsync()])
    expect(both).toEqual([
      { status: 0, stderr: "" },
      { status: 0, stderr: "" }
    ])
    expect(fs.existsSync(bin())).toBe(true)
  }, 120_000)

  it("counts a bin stale when a source was saved after the build read it, before the bin was written", () => {
    build()
    expect(isFresh(copy)).toBe(true)
    // As if saved while esbuild ran: changed, with a time before the bundle's.
    editValidate("C")
    const written = fs.statSync(bin()).mtimeMs
    const during = new Date(written - 5)
    fs.utimesSync(validateSource(), during, during)
    expect(isFresh(copy)).toBe(false)
  }, 120_000)
})
