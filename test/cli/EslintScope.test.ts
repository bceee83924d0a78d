import * as path from "node:path"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { filesWithoutEslint } from "../../cli/handlers/EslintScope.ts"
import { effectiveMode } from "../../core/pipeline/EslintScope.ts"
import { scratchFolders, writeTree } from "./support/CliProcess.ts"

const { tempDir } = scratchFolders()

describe("where validate runs ESLint", () => {
  it("auto: only on JS/TS files with an ESLint config in their folder or above it, inside the workspace", async () => {
    const outer = tempDir("tamma-eslint-scope-")
    // A config above the workspace belongs to another project and does not count.
    writeTree(outer, { "eslint.config.js": "export default []\n" })
    const dir = path.join(outer, "ws")
    writeTree(dir, {
      "top.ts": "",
      "linted/eslint.config.mjs": "export default []\n",
      "linted/deep/a.ts": "",
      "plain/b.js": "",
      "plain/c.py": ""
    })
    const files = ["top.ts", "linted/deep/a.ts", "plain/b.js", "plain/c.py"].map((file) => path.join(dir, file))
    const without = await Effect.runPromise(filesWithoutEslint(files, "auto", dir))
    expect(without).toEqual([path.join(dir, "top.ts"), path.join(dir, "plain/b.js")])
  })

  it("auto with a config at the workspace root: every JS/TS file gets ESLint", async () => {
    const dir = writeTree(tempDir("tamma-eslint-scope-"), { "eslint.config.ts": "export default []\n", "src/a.ts": "" })
    expect(await Effect.runPromise(filesWithoutEslint([path.join(dir, "src/a.ts")], "auto", dir))).toEqual([])
  })

  it("always and never ignore the workspace's configs", async () => {
    const dir = writeTree(tempDir("tamma-eslint-scope-"), { "a.ts": "", "b.md": "" })
    const files = [path.join(dir, "a.ts"), path.join(dir, "b.md")]
    expect(await Effect.runPromise(filesWithoutEslint(files, "always", dir))).toEqual([])
    expect(await Effect.runPromise(filesWithoutEslint(files, "never", dir))).toEqual([path.join(dir, "a.ts")])
  })

  it("a workspace may turn ESLint on, never off; a flag decides", () => {
    expect(effectiveMode(undefined, "never")).toBe("auto")
    expect(effectiveMode(undefined, "always")).toBe("always")
    expect(effectiveMode("never", "always")).toBe("never")
  })
})
