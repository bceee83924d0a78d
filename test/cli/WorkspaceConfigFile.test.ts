import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { maxConfigBytes } from "../../cli/Input.ts"
import { cliSync, scratchFolders, snapshot, writeTree } from "./support/CliProcess.ts"

const { tempDir } = scratchFolders()

/** `validate` in a workspace whose `tamma.config.json` is made by `place`: its exit, stderr, and whether it wrote. */
const validateWith = (place: (config: string) => void) => {
  const dir = writeTree(tempDir("tamma-config-file-"), { "src/a.ts": "export const a = 1\n" })
  place(path.join(dir, "tamma.config.json"))
  const before = snapshot(dir)
  const run = cliSync(["validate", "src", "--no-cache"], {
    cwd: dir,
    env: { XDG_CONFIG_HOME: tempDir("tamma-user-config-") },
    timeout: 60_000
  })
  return { status: run.status, stderr: run.stderr, unchanged: snapshot(dir), before }
}

describe("the workspace's tamma.config.json is read only as a small regular file of the workspace", () => {
  it("a symlink to a file outside the workspace: exit 2, ConfigInvalidError, nothing written", () => {
    const outside = path.join(tempDir("tamma-outside-"), "config.json")
    fs.writeFileSync(outside, JSON.stringify({ quality: { eslint: "always" } }))
    const run = validateWith((config) => fs.symlinkSync(outside, config))
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("outside the workspace")
    expect(run.unchanged).toEqual(run.before)
  }, 60_000)

  it("a symlink to /dev/zero, or a FIFO in the workspace: exit 2 at once, not read without end", () => {
    const zero = validateWith((config) => fs.symlinkSync("/dev/zero", config))
    expect(zero.status).toBe(2)
    expect(zero.stderr).toContain("ConfigInvalidError")
    expect(zero.unchanged).toEqual(zero.before)
    // No writer: opening it would wait for ever.
    const fifo = validateWith((config) => execFileSync("mkfifo", [config]))
    expect(fifo.status).toBe(2)
    expect(fifo.stderr).toContain("is a FIFO, not a regular file")
  }, 60_000)

  it("a file one byte past the cap: exit 2; at the cap it is read", () => {
    const sized = (bytes: number) => (config: string) => {
      const text = JSON.stringify({ quality: { eslint: "always" } })
      fs.writeFileSync(config, text + " ".repeat(bytes - text.length))
    }
    const over = validateWith(sized(maxConfigBytes + 1))
    expect(over.status).toBe(2)
    expect(over.stderr).toContain("larger than 1 MiB")
    expect(over.unchanged).toEqual(over.before)
    expect(validateWith(sized(maxConfigBytes)).status).toBe(0)
  }, 60_000)

  it("a symlink to a file inside the workspace is read; an absent config is the defaults", () => {
    const linked = validateWith((config) => {
      fs.writeFileSync(path.join(path.dirname(config), "shared.json"), "{}")
      fs.symlinkSync("shared.json", config)
    })
    expect(linked.status).toBe(0)
    expect(validateWith(() => undefined).status).toBe(0)
  }, 60_000)
})
