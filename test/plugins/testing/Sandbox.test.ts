import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { recoverAtStartup } from "../../../cli/StartupRecovery.ts"
import { removeLeftoverSandboxes } from "../../../plugins/testing/LeftoverSandboxes.ts"
import { sandboxOrigin, stagedSandbox } from "../../../plugins/testing/Sandbox.ts"

const folders: Array<string> = []
const tempFolder = (name: string) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`)))
  folders.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

const write = (dir: string, file: string, content: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
  fs.writeFileSync(path.join(dir, file), content)
}

const git = (dir: string, ...args: ReadonlyArray<string>) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, stdio: "pipe" })

/** Every file and link under `dir`, relative, without following links. */
const listing = (dir: string, relative = ""): ReadonlyArray<string> =>
  fs
    .readdirSync(path.join(dir, relative), { withFileTypes: true })
    .flatMap((entry) => {
      const file = relative === "" ? entry.name : `${relative}/${entry.name}`
      return entry.isDirectory() ? listing(dir, file) : [file]
    })
    .sort()

/** A repository with tracked files, an ignored `.env`, an untracked file and installed dependencies. */
const repository = () => {
  const dir = tempFolder("tamma-repo")
  write(dir, ".gitignore", ".env\nnode_modules/\nbuild/\n")
  write(dir, "package.json", '{ "name": "repo", "private": true }')
  write(dir, "src/a.ts", "export const a = 1\n")
  write(dir, "src/gone.ts", "export const gone = 1\n")
  git(dir, "init", "-q")
  git(dir, "add", ".")
  git(dir, "commit", "-q", "-m", "first")
  write(dir, "src/a.ts", "export const a = 2\n")
  fs.rmSync(path.join(dir, "src/gone.ts"))
  write(dir, ".env", "SECRET=dotenv-secret\n")
  write(dir, "build/out.js", "compiled\n")
  write(dir, "notes.txt", "untracked\n")
  write(dir, "node_modules/dep/index.js", "module.exports = 1\n")
  return dir
}

const sandboxOf = (workspace: string, changes: Parameters<typeof stagedSandbox>[1] = []) =>
  Effect.gen(function* () {
    const dir = yield* stagedSandbox(workspace, changes)
    return { dir, files: listing(dir), linked: sandboxOrigin(dir)?.dependencies, exists: fs.existsSync(dir) }
  }).pipe(Effect.scoped)

describe("stagedSandbox", () => {
  it.effect("holds the tracked files as the work tree has them, the change, and linked dependencies only", () =>
    Effect.gen(function* () {
      const workspace = repository()
      const sandbox = yield* sandboxOf(workspace, [{ path: "src/b.test.ts", before: undefined, after: "test\n" }])
      expect(sandbox.files).toEqual([".gitignore", "node_modules", "package.json", "src/a.ts", "src/b.test.ts"])
      expect(sandbox.linked).toEqual([path.join(workspace, "node_modules")])
      expect(fs.existsSync(sandbox.dir)).toBe(false)
      expect(path.basename(sandbox.dir)).toMatch(new RegExp(`^tamma-sandbox-${process.pid}-`))
    })
  )

  it.effect("reads the tracked files of a workspace that is a folder inside a repository", () =>
    Effect.gen(function* () {
      const root = repository()
      const sandbox = yield* sandboxOf(path.join(root, "src"))
      expect(sandbox.files).toEqual(["a.ts"])
    })
  )

  it.effect("outside git: every file its .gitignore keeps, never one named like a secret", () =>
    Effect.gen(function* () {
      const workspace = tempFolder("tamma-plain")
      write(workspace, ".gitignore", "build/\n")
      write(workspace, "main.py", "print(1)\n")
      write(workspace, "build/out.txt", "x\n")
      write(workspace, ".env.local", "SECRET=1\n")
      write(workspace, "deploy/key.pem", "-----BEGIN\n")
      const sandbox = yield* sandboxOf(workspace)
      expect(sandbox.files).toEqual([".gitignore", "main.py"])
    })
  )

  it.effect("does not link a dependency folder that points out of the workspace", () =>
    Effect.gen(function* () {
      const workspace = tempFolder("tamma-plain")
      const elsewhere = tempFolder("tamma-elsewhere")
      write(elsewhere, "id_rsa", "private\n")
      write(workspace, "main.py", "print(1)\n")
      fs.symlinkSync(elsewhere, path.join(workspace, ".venv"))
      const sandbox = yield* sandboxOf(workspace)
      expect(sandbox.files).toEqual(["main.py"])
      expect(sandbox.linked).toEqual([])
    })
  )

  it.effect("refuses a change whose path leaves the sandbox, and leaves no folder behind", () =>
    Effect.gen(function* () {
      const workspace = repository()
      const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`tamma-sandbox-${process.pid}-`))
      const error = yield* Effect.flip(sandboxOf(workspace, [{ path: "../escape.txt", before: undefined, after: "x" }]))
      expect(error._tag).toBe("TestRunError")
      expect(error.message).toContain("outside the workspace")
      const after = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`tamma-sandbox-${process.pid}-`))
      expect(after).toEqual(before)
    })
  )
})

describe("stagedSandbox and links", () => {
  it.effect("never writes a change through a link to the user's files", () =>
    Effect.gen(function* () {
      const workspace = tempFolder("tamma-links")
      const elsewhere = tempFolder("tamma-elsewhere")
      write(elsewhere, "authorized_keys", "mine\n")
      write(workspace, "a.txt", "a\n")
      fs.symlinkSync(path.join(elsewhere, "authorized_keys"), path.join(workspace, "config.json"))
      fs.symlinkSync(elsewhere, path.join(workspace, "lib"))
      git(workspace, "init", "-q")
      git(workspace, "add", ".")
      git(workspace, "commit", "-q", "-m", "links")
      const sandbox = yield* sandboxOf(workspace, [{ path: "config.json", before: undefined, after: "changed\n" }])
      expect(sandbox.files).toEqual(["a.txt", "config.json", "lib"])
      expect(fs.readFileSync(path.join(elsewhere, "authorized_keys"), "utf8")).toBe("mine\n")
      const error = yield* Effect.flip(
        sandboxOf(workspace, [{ path: "lib/planted.txt", before: undefined, after: "x" }])
      )
      expect(error.message).toContain("outside the workspace")
      expect(fs.readdirSync(elsewhere)).toEqual(["authorized_keys"])
    })
  )

  it.effect("leaves out a tracked file whose folder the work tree turned into a link to elsewhere", () =>
    Effect.gen(function* () {
      const workspace = repository()
      const elsewhere = tempFolder("tamma-elsewhere")
      write(elsewhere, "a.ts", "stolen\n")
      fs.rmSync(path.join(workspace, "src"), { recursive: true })
      fs.symlinkSync(elsewhere, path.join(workspace, "src"))
      const sandbox = yield* sandboxOf(workspace)
      expect(sandbox.files).toEqual([".gitignore", "node_modules", "package.json"])
    })
  )
})

describe("removeLeftoverSandboxes", () => {
  it("removes the sandboxes of dead processes and keeps those of live ones", () => {
    const tmp = tempFolder("tamma-tmp")
    const exited = spawnSync(process.execPath, ["-e", "0"])
    const dead = exited.pid
    const deadSandbox = path.join(tmp, `tamma-sandbox-${dead}-abc123`)
    const deadScratch = path.join(tmp, `tamma-tests-${dead}-def456`)
    const live = path.join(tmp, `tamma-sandbox-${process.pid}-ghi789`)
    const liveOther = path.join(tmp, `tamma-tests-${process.ppid}-jkl012`)
    const unrelated = path.join(tmp, `tamma-hang-${dead}-x`)
    for (const dir of [deadSandbox, deadScratch, live, liveOther, unrelated]) write(dir, "file", "x")
    const removed = removeLeftoverSandboxes(tmp)
    expect([...removed].sort()).toEqual([deadSandbox, deadScratch].sort())
    expect(fs.readdirSync(tmp).sort()).toEqual([live, liveOther, unrelated].map((dir) => path.basename(dir)).sort())
  })

  it("never follows a link named like a sandbox", () => {
    const tmp = tempFolder("tamma-tmp")
    const target = tempFolder("tamma-target")
    write(target, "keep", "x")
    const exited = spawnSync(process.execPath, ["-e", "0"])
    fs.symlinkSync(target, path.join(tmp, `tamma-sandbox-${exited.pid}-abc123`))
    expect(removeLeftoverSandboxes(tmp)).toEqual([])
    expect(fs.existsSync(path.join(target, "keep"))).toBe(true)
  })

  it.effect("the start of any command removes them", () =>
    Effect.gen(function* () {
      const exited = spawnSync(process.execPath, ["-e", "0"])
      const leftover = path.join(os.tmpdir(), `tamma-sandbox-${exited.pid}-startup`)
      folders.push(leftover)
      write(leftover, ".env", "SECRET=1\n")
      yield* recoverAtStartup(["--help"])
      expect(fs.existsSync(leftover)).toBe(false)
    })
  )
})
