import * as fs from "node:fs"
import * as path from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { cliSync, scratchFolders, writeTree } from "./support/CliProcess.ts"

const { tempDir } = scratchFolders()

// `new Buffer(n)` is a finding of eslint-plugin-security only: whether ESLint ran shows in the report.
const source = "export const buffer = (n: number) => new Buffer(n)\n"

const Report = Schema.fromJsonString(
  Schema.Struct({
    cached: Schema.Number,
    files: Schema.Array(Schema.Struct({ issues: Schema.Array(Schema.Struct({ tool: Schema.String })) }))
  })
)

const validate = (dir: string, ...args: ReadonlyArray<string>) => {
  const result = cliSync(["validate", "src", "--json", ...args], {
    cwd: dir,
    env: { XDG_CACHE_HOME: path.join(dir, "..", `${path.basename(dir)}-user-cache`) }
  })
  const report = Schema.decodeUnknownSync(Report)(result.stdout)
  return { ...report, eslint: report.files.some((file) => file.issues.some((issue) => issue.tool === "eslint")) }
}

describe("validate: ESLint where it is the user's, and the cache", () => {
  it("runs ESLint only where the workspace has an ESLint config, unless told otherwise", () => {
    const plain = writeTree(tempDir("tamma-validate-scope-"), { "src/a.ts": source })
    expect(validate(plain, "--no-cache").eslint).toBe(false)
    expect(validate(plain, "--no-cache", "--eslint", "always").eslint).toBe(true)
    // Turned on by the workspace's config: allowed; turned off by it: not.
    writeTree(plain, { "tamma.config.json": JSON.stringify({ quality: { eslint: "always" } }) })
    expect(validate(plain, "--no-cache").eslint).toBe(true)

    const linted = writeTree(tempDir("tamma-validate-scope-"), {
      "src/a.ts": source,
      // Never executed: it would write this marker if it were.
      "eslint.config.js": "require('node:fs').writeFileSync('executed', '')\nmodule.exports = []\n",
      "tamma.config.json": JSON.stringify({ quality: { eslint: "never" } })
    })
    expect(validate(linted, "--no-cache").eslint).toBe(true)
    expect(validate(linted, "--no-cache", "--eslint", "never").eslint).toBe(false)
    expect(fs.existsSync(path.join(linted, "executed"))).toBe(false)
  }, 120_000)

  it("the second run takes an unchanged file from the cache; --no-cache checks it again", () => {
    const dir = writeTree(tempDir("tamma-validate-cache-"), { "src/a.ts": source, "src/b.ts": "export const b = 1\n" })
    expect(validate(dir).cached).toBe(0)
    const second = validate(dir)
    expect(second.cached).toBe(2)
    expect(second.files).toHaveLength(2)
    fs.writeFileSync(path.join(dir, "src/b.ts"), "export const b = 2\n")
    expect(validate(dir).cached).toBe(1)
    expect(validate(dir, "--no-cache").cached).toBe(0)
  }, 120_000)
})
