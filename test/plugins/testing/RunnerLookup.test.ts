import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { requireOnPath, virtualenvPython, workspaceBin } from "../../../plugins/testing/RunnerLookup.ts"

const folders: Array<string> = []
const scratch = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-runner-lookup-"))
  folders.push(dir)
  return dir
}
const write = (file: string, content: string, mode = 0o644) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, content, { mode })
}

afterEach(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

describe("workspaceBin", () => {
  it("runs an npm-linked JavaScript bin on our own Node", () => {
    const workspace = scratch()
    write(path.join(workspace, "node_modules", "vitest", "vitest.mjs"), "#!/usr/bin/env node\n", 0o755)
    fs.mkdirSync(path.join(workspace, "node_modules", ".bin"))
    fs.symlinkSync("../vitest/vitest.mjs", path.join(workspace, "node_modules", ".bin", "vitest"))
    expect(workspaceBin(workspace, "vitest")).toEqual({
      command: process.execPath,
      args: [path.join(workspace, "node_modules", "vitest", "vitest.mjs")]
    })
  })

  it("runs a shim that is not a JavaScript file as it is", () => {
    const workspace = scratch()
    const shim = path.join(workspace, "node_modules", ".bin", "vitest")
    write(shim, "#!/bin/sh\nexec node ../vitest/vitest.mjs\n", 0o755)
    expect(workspaceBin(workspace, "vitest")).toEqual({ command: shim, args: [] })
  })

  it("finds nothing when the workspace has not installed it, or the link is dangling", () => {
    const workspace = scratch()
    expect(workspaceBin(workspace, "vitest")).toBeUndefined()
    fs.mkdirSync(path.join(workspace, "node_modules", ".bin"), { recursive: true })
    fs.symlinkSync("../vitest/vitest.mjs", path.join(workspace, "node_modules", ".bin", "vitest"))
    expect(workspaceBin(workspace, "vitest")).toBeUndefined()
  })
})

describe("virtualenvPython", () => {
  it("is the virtualenv's python only when the module is installed in it", () => {
    const workspace = scratch()
    const python = path.join(workspace, ".venv", "bin", "python3")
    write(python, "", 0o755)
    expect(virtualenvPython(workspace, "pytest")).toBeUndefined()
    write(path.join(workspace, ".venv", "lib", "python3.12", "site-packages", "pytest", "__init__.py"), "")
    expect(virtualenvPython(workspace, "pytest")).toBe(python)
  })
})

describe("requireOnPath", () => {
  it("fails naming the command and how to get it when the PATH has no such executable", async () => {
    const error = await Effect.runPromise(
      Effect.flip(requireOnPath("go test", "tamma-no-such-tool", "Install the tool"))
    )
    expect(error._tag).toBe("TestRunnerMissingError")
    expect(error.missing).toEqual(["tamma-no-such-tool"])
    expect(error.message).toBe(
      "Cannot run the go test tests: tamma-no-such-tool not installed. Install the tool, or pass --no-run-tests to skip the tests"
    )
  })

  it("succeeds when the PATH has it", async () => {
    await expect(Effect.runPromise(requireOnPath("sh", "sh", "Install a shell"))).resolves.toBeUndefined()
  })
})
