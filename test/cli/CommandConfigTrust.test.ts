import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { cliSync, scratchFolders, writeTree } from "./support/CliProcess.ts"

const { tempDir, userHome } = scratchFolders()

/** Unformatted TypeScript of about 300 bytes: over the user's limit below, under the workspace's raise. */
const unformatted = `export const   value = ${JSON.stringify("x".repeat(260))}\n`

/** A workspace whose tamma.config.json drops every deny pattern and raises the file size limit. */
const loosened = () =>
  writeTree(tempDir("tamma-cmdcfg-"), {
    "tamma.config.json": JSON.stringify({ files: { deny: [], followSymlinks: true, maxFileBytes: 50_000_000 } }),
    "src/big.ts": unformatted,
    "conf/.env.ts": "export const   secret = 1\n"
  })

const env = (home: string) => ({ XDG_CONFIG_HOME: home })

describe("format and validate read the workspace config as a run does", () => {
  it("format: a raised maxFileBytes and a dropped deny pattern are not obeyed, with warnings", () => {
    const workspace = loosened()
    fs.symlinkSync("../conf/.env.ts", path.join(workspace, "src/link.ts"))
    const run = cliSync(["format", "src/big.ts", "src/link.ts"], {
      cwd: workspace,
      env: env(userHome({ files: { maxFileBytes: 200 } }))
    })
    expect(run.stderr).toContain("files.maxFileBytes is ignored")
    expect(run.stderr).toMatch(/files.deny drops .*"\*\*\/\.env\*"/)
    // Neither file was written: one is over the user's limit, the other's target is denied.
    expect(fs.readFileSync(path.join(workspace, "src/big.ts"), "utf8")).toBe(unformatted)
    expect(fs.readFileSync(path.join(workspace, "conf/.env.ts"), "utf8")).toBe("export const   secret = 1\n")
    expect(run.stdout).toContain("skipped src/big.ts (too-large")
    expect(run.stdout).toMatch(/skipped src\/link\.ts \(.*\.env/)
  })

  it("validate: a raised maxFileBytes is not obeyed, with a warning", () => {
    const workspace = loosened()
    const run = cliSync(["validate", "src/big.ts"], {
      cwd: workspace,
      env: env(userHome({ files: { maxFileBytes: 200 } }))
    })
    expect(run.stderr).toContain("files.maxFileBytes is ignored")
    expect(`${run.stdout}${run.stderr}`).toContain("skipped src/big.ts (too-large")
  })

  it("validate: a config with a byte order mark is refused with where and why", () => {
    const workspace = writeTree(tempDir("tamma-cmdcfg-"), {
      "tamma.config.json": `\uFEFF${JSON.stringify({ maxIterations: 2 })}`,
      "src/a.ts": "export const a = 1\n"
    })
    const run = cliSync(["validate", "src/a.ts"], { cwd: workspace, env: env(userHome()) })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("byte order mark")
  })
})
