import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

describe("examples run", () => {
  it.each(["compose-pipeline.ts", "language-pack/main.ts"])("%s exits 0", (file) => {
    const run = spawnSync(process.execPath, [path.join(project, "examples", file)], { encoding: "utf8", cwd: project })
    expect(run.stderr).not.toContain("Error")
    expect(run.status).toBe(0)
  })
})
