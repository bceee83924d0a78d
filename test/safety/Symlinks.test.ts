/**
 * Symlinks in the workspace, through the CLI on real repositories, judged by the git CLI: a
 * generated path that is a symlink is refused (exit 2, nothing written) unless the config
 * follows links inside the workspace; then the target changes and the link stays a link
 * (mode 120000) with the tree clean. A link out of the workspace is refused either way, and
 * `format` never replaces a link with a regular file.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Schema } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { CodeGenerationResult } from "../../core/domain/Result.ts"
import { demoRepository, demoRequests, indexEntry, runCli, workTreeHash } from "./DemoWorkspace.ts"
import { git, removeFolder } from "./Workspace.ts"

const made: Array<string> = []
const track = (dir: string) => {
  made.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of made.splice(0)) removeFolder(dir)
})

const decodeResult = Schema.decodeUnknownSync(Schema.fromJsonString(CodeGenerationResult))
const pricing = nodePath.join(demoRequests, "02-pricing.json")
const impl = "export const impl = 1\n"

/** `src/pricing.ts -> ../lib/impl.ts` in the demo workspace, with `config` as its tamma.config.json. */
const linkedRepository = (config?: object) =>
  track(
    demoRepository((dir) => {
      fs.mkdirSync(nodePath.join(dir, "lib"))
      fs.writeFileSync(nodePath.join(dir, "lib/impl.ts"), impl)
      fs.symlinkSync("../lib/impl.ts", nodePath.join(dir, "src/pricing.ts"))
      if (config !== undefined) fs.writeFileSync(nodePath.join(dir, "tamma.config.json"), JSON.stringify(config))
    })
  )

const isLink = (file: string) => fs.lstatSync(file).isSymbolicLink()

/** What must hold after a refused run: nothing git or the disk can see has changed. */
const expectUntouched = (repo: string, before: { readonly tree: string; readonly head: string }) => {
  expect(workTreeHash(repo)).toBe(before.tree)
  expect(git(repo, "rev-parse", "HEAD")).toBe(before.head)
  expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
  expect(git(repo, "status", "--porcelain")).toBe("")
}

describe("symlinks in the workspace", () => {
  it("a generated path that is a symlink is refused: UnsafePathError, exit 2, nothing written", () => {
    const repo = linkedRepository()
    const before = { tree: workTreeHash(repo), head: git(repo, "rev-parse", "HEAD") }

    const run = runCli(["generate", "--request", pricing, "--workspace", repo, "--force", "--no-run-tests"])

    expect(run.status).toBe(2)
    expect(run.stdout + run.stderr).toMatch(/UnsafePathError[\s\S]*src\/pricing\.ts[\s\S]*symlink/)
    expect(fs.readFileSync(nodePath.join(repo, "lib/impl.ts"), "utf8")).toBe(impl)
    expect(isLink(nodePath.join(repo, "src/pricing.ts"))).toBe(true)
    expect(fs.existsSync(nodePath.join(repo, "test/pricing.test.ts"))).toBe(false)
    expectUntouched(repo, before)
  })

  it("with files.followSymlinks the target is written, the link stays a link (120000), the tree clean", () => {
    const repo = linkedRepository({ files: { followSymlinks: true } })

    const run = runCli(["generate", "--request", pricing, "--workspace", repo, "--force", "--json"])

    expect(run.stderr).not.toContain("UnsafePathError")
    expect(run.status).toBe(0)
    const result = decodeResult(run.stdout)
    expect(result.status).toBe("success")
    expect(result.files.map((file) => `${file.action} ${file.path}`).sort()).toEqual([
      "create test/pricing.test.ts",
      "modify lib/impl.ts"
    ])
    const written = fs.readFileSync(nodePath.join(repo, "lib/impl.ts"), "utf8")
    expect(written).toContain("export function applyDiscount(")
    expect(isLink(nodePath.join(repo, "src/pricing.ts"))).toBe(true)
    expect(fs.readlinkSync(nodePath.join(repo, "src/pricing.ts"))).toBe("../lib/impl.ts")
    expect(indexEntry(repo, "src/pricing.ts")).toEqual({ mode: "120000", blob: "../lib/impl.ts" })
    expect(git(repo, "ls-tree", "HEAD", "src/pricing.ts")).toMatch(/^120000 blob /)
    expect(indexEntry(repo, "lib/impl.ts").mode).toBe("100644")
    expect(git(repo, "show", "HEAD:lib/impl.ts")).toBe(written.trimEnd())
    expect(git(repo, "show", "--name-status", "--format=", "HEAD").split("\n").sort()).toEqual([
      "A\ttest/pricing.test.ts",
      "M\tlib/impl.ts"
    ])
    expect(git(repo, "status", "--porcelain")).toBe("")
    git(repo, "fsck", "--strict", "--no-progress")
  })

  it("a link out of the workspace is refused even with files.followSymlinks", () => {
    const outside = track(fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-outside-"))))
    fs.writeFileSync(nodePath.join(outside, "impl.ts"), impl)
    const repo = track(
      demoRepository((dir) => {
        fs.symlinkSync(nodePath.join(outside, "impl.ts"), nodePath.join(dir, "src/pricing.ts"))
        fs.writeFileSync(nodePath.join(dir, "tamma.config.json"), JSON.stringify({ files: { followSymlinks: true } }))
      })
    )
    const before = { tree: workTreeHash(repo), head: git(repo, "rev-parse", "HEAD") }

    const run = runCli(["generate", "--request", pricing, "--workspace", repo, "--force", "--no-run-tests"])

    expect(run.status).toBe(2)
    expect(run.stdout + run.stderr).toMatch(/UnsafePathError[\s\S]*symlink-escape/)
    expect(fs.readFileSync(nodePath.join(outside, "impl.ts"), "utf8")).toBe(impl)
    expect(fs.readdirSync(outside)).toEqual(["impl.ts"])
    expectUntouched(repo, before)
  })

  it("a link's target that the deny list covers is refused even with files.followSymlinks", () => {
    const repo = track(
      demoRepository((dir) => {
        fs.writeFileSync(nodePath.join(dir, "secrets.ts"), impl)
        fs.symlinkSync("../secrets.ts", nodePath.join(dir, "src/pricing.ts"))
        fs.writeFileSync(
          nodePath.join(dir, "tamma.config.json"),
          JSON.stringify({ files: { followSymlinks: true, deny: ["secrets.ts"] } })
        )
      })
    )
    const before = { tree: workTreeHash(repo), head: git(repo, "rev-parse", "HEAD") }

    const run = runCli(["generate", "--request", pricing, "--workspace", repo, "--force", "--no-run-tests"])

    expect(run.status).toBe(2)
    expect(run.stdout + run.stderr).toMatch(/UnsafePathError[\s\S]*denied[\s\S]*secrets\.ts/)
    expectUntouched(repo, before)
  })

  it("a file is committed 100755 only when it is executable", () => {
    const repo = track(
      demoRepository((dir) => {
        fs.chmodSync(nodePath.join(dir, "src/strings.ts"), 0o755)
      })
    )
    expect(indexEntry(repo, "src/strings.ts").mode).toBe("100755")
    const request = nodePath.join(track(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-request-"))), "r.json")
    const decoded: { parameters: { name: string } } = JSON.parse(fs.readFileSync(pricing, "utf8"))
    decoded.parameters.name = "strings"
    fs.writeFileSync(request, JSON.stringify(decoded))

    const run = runCli(["generate", "--request", request, "--workspace", repo, "--force", "--no-run-tests"])

    expect(run.status).toBe(0)
    expect(git(repo, "show", "--name-status", "--format=", "HEAD").split("\n").sort()).toEqual([
      "A\ttest/strings.test.ts",
      "M\tsrc/strings.ts"
    ])
    // The replaced file keeps its executable bit; the new one, not executable on disk, is 100644.
    expect(indexEntry(repo, "src/strings.ts").mode).toBe("100755")
    expect(indexEntry(repo, "test/strings.test.ts").mode).toBe("100644")
    const executable = git(repo, "ls-tree", "-r", "HEAD")
      .split("\n")
      .filter((line) => line.startsWith("100755"))
      .map((line) => line.split("\t")[1])
    expect(executable).toEqual(["src/strings.ts"])
    expect(git(repo, "status", "--porcelain")).toBe("")
  })
})

describe("format and symlinks", () => {
  const unformatted = "export const  x = {a:1}\n"

  /** A folder with `src/pricing.ts -> ../lib/impl.ts`, both unformatted, and `config` as its tamma.config.json. */
  const linkedFolder = (config?: object) => {
    const dir = track(fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-format-"))))
    fs.mkdirSync(nodePath.join(dir, "src"))
    fs.mkdirSync(nodePath.join(dir, "lib"))
    fs.writeFileSync(nodePath.join(dir, "lib/impl.ts"), unformatted)
    fs.symlinkSync("../lib/impl.ts", nodePath.join(dir, "src/pricing.ts"))
    if (config !== undefined) fs.writeFileSync(nodePath.join(dir, "tamma.config.json"), JSON.stringify(config))
    return dir
  }

  const format = (cwd: string, ...paths: ReadonlyArray<string>) => runCli(["format", ...paths], cwd)

  it("leaves a symlink and its target alone unless files.followSymlinks", () => {
    const dir = linkedFolder()
    const run = format(dir, "src/pricing.ts")
    expect(run.status).toBe(0)
    expect(run.stdout).toContain("skipped src/pricing.ts")
    expect(isLink(nodePath.join(dir, "src/pricing.ts"))).toBe(true)
    expect(fs.readFileSync(nodePath.join(dir, "lib/impl.ts"), "utf8")).toBe(unformatted)
  })

  it("formats the target of a link inside the workspace when allowed, and keeps the link", () => {
    const dir = linkedFolder({ files: { followSymlinks: true } })
    const run = format(dir, "src/pricing.ts")
    expect(run.status).toBe(0)
    expect(run.stdout).toContain("formatted lib/impl.ts")
    expect(isLink(nodePath.join(dir, "src/pricing.ts"))).toBe(true)
    expect(fs.readlinkSync(nodePath.join(dir, "src/pricing.ts"))).toBe("../lib/impl.ts")
    expect(fs.readFileSync(nodePath.join(dir, "lib/impl.ts"), "utf8")).toMatch(/^export const x = \{ a: 1 \};?\n$/)
  })

  it("never formats through a link out of the workspace", () => {
    const outside = track(fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-outside-"))))
    fs.writeFileSync(nodePath.join(outside, "impl.ts"), unformatted)
    const dir = linkedFolder({ files: { followSymlinks: true } })
    fs.symlinkSync(nodePath.join(outside, "impl.ts"), nodePath.join(dir, "src/outside.ts"))
    const run = format(dir, "src/outside.ts")
    expect(run.stdout).toContain("skipped src/outside.ts")
    expect(isLink(nodePath.join(dir, "src/outside.ts"))).toBe(true)
    expect(fs.readFileSync(nodePath.join(outside, "impl.ts"), "utf8")).toBe(unformatted)
  })
})
