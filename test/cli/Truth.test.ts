/**
 * The CLI tells the truth on every exit path: exit codes, stdout and stderr through the real
 * CLI, and every git fact checked with the git CLI.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type CliSyncOptions,
  cliSync,
  commitAll,
  gitOutput as git,
  gitState,
  project,
  demoRequests as requests,
  scratchFolders,
  snapshot
} from "./support/CliProcess.ts"

const { tempDir, demoRepository } = scratchFolders()

const scratchRepo = (): string => demoRepository("tamma-truth-")

/** The CLI run from this package's folder unless told otherwise, with no npm `INIT_CWD`. */
const cli = (args: ReadonlyArray<string>, options: CliSyncOptions = {}) =>
  cliSync(args, { ...options, cwd: options.cwd ?? project, env: { INIT_CWD: undefined, ...options.env } })

/** A request file derived from a demo request. */
const requestFile = (name: string, change: (request: Record<string, unknown>) => Record<string, unknown>) => {
  const file = path.join(tempDir("tamma-request-"), "request.json")
  fs.writeFileSync(file, JSON.stringify(change(JSON.parse(fs.readFileSync(path.join(requests, name), "utf8")))))
  return file
}

interface Document {
  readonly status?: string
  readonly errors?: ReadonlyArray<{ readonly tag: string; readonly message: string }>
}

/** The one JSON document of stdout: JSON.parse refuses anything around it. */
const parseDocument = (stdout: string): Document => JSON.parse(stdout)

describe("--json prints one JSON document on every exit path", () => {
  it("a missing required flag: exit 2, the usage error as JSON on stdout, the help on stderr", () => {
    const run = cli(["generate", "--json"])
    expect(run.status).toBe(2)
    expect(parseDocument(run.stdout)).toEqual({
      status: "failed",
      errors: [{ tag: "UsageError", message: "Missing required flag: --request" }]
    })
    expect(run.stderr).toContain("USAGE")
    expect(run.stderr).toContain("--request")
  })

  it("an unknown flag: exit 2 and a usage error naming it", () => {
    const run = cli(["validate", "src", "--json", "--bogus"])
    expect(run.status).toBe(2)
    const document = parseDocument(run.stdout)
    expect(document.status).toBe("failed")
    expect(document.errors?.[0]?.tag).toBe("UsageError")
    expect(document.errors?.[0]?.message).toContain("--bogus")
  })

  it("without --json, help stays on stdout", () => {
    const run = cli(["generate", "--help"])
    expect(run.status).toBe(0)
    expect(run.stdout).toContain("USAGE")
  })

  it("--help --json: exit 0, help on stderr, a success document on stdout", () => {
    const run = cli(["generate", "--help", "--json"])
    expect(run.status).toBe(0)
    expect(parseDocument(run.stdout)).toEqual({ status: "success", errors: [] })
    expect(run.stderr).toContain("USAGE")
  })

  it("bad input refused by the pipeline (test with an unreachable model): a failed document, nothing written", () => {
    const repo = scratchRepo()
    const before = snapshot(repo, [".git", ".tamma", "node_modules"])
    const state = gitState(repo)
    const run = cli([
      "test",
      "--request",
      path.join(requests, "03-tests-for-strings.json"),
      "--provider",
      "openai-compatible",
      "--model",
      "fake",
      "--base-url",
      "http://127.0.0.1:9/v1",
      "--json",
      "--workspace",
      repo
    ])
    expect([1, 2]).toContain(run.status)
    const document = parseDocument(run.stdout)
    expect(document.status).toBe("failed")
    expect(document.errors?.length).toBeGreaterThan(0)
    expect(snapshot(repo, [".git", ".tamma", "node_modules"])).toEqual(before)
    expect(gitState(repo)).toEqual(state)
  })
})

describe("wrong input is bad input: exit 2, a typed error, nothing written", () => {
  it("a language no pack handles is LanguageNotSupportedError", () => {
    const repo = scratchRepo()
    const before = snapshot(repo, [".git", ".tamma", "node_modules"])
    const state = gitState(repo)
    const request = requestFile("01-text-helpers.json", (r) => ({ ...r, language: "cobol" }))
    const run = cli(["generate", "--request", request, "--workspace", repo, "--json"])
    expect(run.status).toBe(2)
    expect(parseDocument(run.stdout)).toEqual({
      status: "failed",
      errors: [{ tag: "LanguageNotSupportedError", message: "No language pack handles cobol" }]
    })
    expect(snapshot(repo, [".git", ".tamma", "node_modules"])).toEqual(before)
    expect(gitState(repo)).toEqual(state)
  })

  it("a test request whose target file does not exist", () => {
    const repo = scratchRepo()
    const before = snapshot(repo, [".git", ".tamma", "node_modules"])
    const state = gitState(repo)
    const request = requestFile("03-tests-for-strings.json", (r) => ({ ...r, parameters: { target: "src/nope.ts" } }))
    const run = cli(["test", "--request", request, "--workspace", repo])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("ParameterInvalidError")
    expect(run.stderr).toContain("src/nope.ts is not a file of the workspace")
    expect(snapshot(repo, [".git", ".tamma", "node_modules"])).toEqual(before)
    expect(gitState(repo)).toEqual(state)
  })

  it("a request that is not valid JSON says where: line and column", () => {
    const repo = scratchRepo()
    const request = path.join(tempDir("tamma-request-"), "request.json")
    fs.writeFileSync(request, '{\n  "taskType": "implementation",\n  "language": "typescript"\n  "context": {}\n}\n')
    const run = cli(["generate", "--request", request, "--workspace", repo, "--json"])
    expect(run.status).toBe(2)
    const [error] = parseDocument(run.stdout).errors ?? []
    expect(error?.tag).toBe("RequestInvalidError")
    expect(error?.message).toContain("not valid JSON at line 4, column 3")
  })

  it("format of a path that does not exist", () => {
    const missing = path.join(tempDir("tamma-format-"), "missing")
    const run = cli(["format", missing])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain(`PathNotFoundError: No such file or folder: ${missing}`)
  })

  it("validate of a path that does not exist", () => {
    const missing = path.join(tempDir("tamma-validate-"), "missing")
    const run = cli(["validate", missing])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain(`PathNotFoundError: No such file or folder: ${missing}`)
    expect(run.stdout).toBe("")
  })

  it("validate of an empty folder warns and claims no score", () => {
    const empty = tempDir("tamma-validate-")
    const run = cli(["validate", empty])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("NothingToValidateError")
    expect(run.stdout).not.toContain("score")
    const json = cli(["validate", empty, "--json"])
    expect(json.status).toBe(2)
    expect(parseDocument(json.stdout)).toEqual({
      status: "failed",
      errors: [{ tag: "NothingToValidateError", message: `Nothing to validate under ${empty}: no file` }]
    })
  })

  it("validate of files in no supported language warns and claims no score", () => {
    const dir = tempDir("tamma-validate-")
    fs.writeFileSync(path.join(dir, "payroll.cob"), "IDENTIFICATION DIVISION.\n")
    const run = cli(["validate", dir])
    expect(run.status).toBe(2)
    expect(run.stderr).toContain("1 file(s), none in a language tamma-codegen can check")
    expect(run.stdout).not.toContain("score")
  })

  it("validate of a supported file beside an unsupported one warns about the skipped one", () => {
    const dir = tempDir("tamma-validate-")
    fs.writeFileSync(path.join(dir, "payroll.cob"), "IDENTIFICATION DIVISION.\n")
    fs.writeFileSync(path.join(dir, "add.ts"), "export const add = (a: number, b: number): number => a + b\n")
    const run = cli(["validate", dir, "--json"])
    expect(run.status, run.stderr).toBe(0)
    expect(run.stderr).toContain("warning: skipped 1 file(s)")
    const report = JSON.parse(run.stdout)
    expect(report.files.map((file: { path: string }) => path.basename(file.path))).toEqual(["add.ts"])
  })
})

/** A copy of this package's checkout (its own git repository, our node_modules linked in). */
const packageCheckout = (): string => {
  // Not a scratch folder of one test: it is kept for the whole describe.
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tamma-checkout-")))
  for (const part of ["package.json", "cli", "core", "plugins", "presets", "templates", "examples"]) {
    fs.cpSync(path.join(project, part), path.join(dir, part), { recursive: true })
  }
  fs.writeFileSync(path.join(dir, ".gitignore"), "node_modules\n")
  commitAll(dir)
  fs.symlinkSync(path.join(project, "node_modules"), path.join(dir, "node_modules"))
  return dir
}

describe("the workspace is where the user ran the command, never this package by default", () => {
  let checkout = ""
  beforeAll(() => {
    checkout = packageCheckout()
  })
  afterAll(() => fs.rmSync(checkout, { recursive: true, force: true }))

  it("run in the package's own folder with no --workspace (npm run with no INIT_CWD): refused, exit 2", () => {
    const before = snapshot(checkout, [".git", ".tamma", "node_modules"])
    const state = gitState(checkout)
    const bin = path.join(checkout, "cli", "bin.ts")
    const request = path.join("examples", "demo", "requests", "02-pricing.json")
    const run = cli(["generate", "--request", request, "--json"], { cwd: checkout, bin })
    expect(run.status).toBe(2)
    const [error] = parseDocument(run.stdout).errors ?? []
    expect(error?.tag).toBe("WorkspaceError")
    expect(error?.message).toContain("own checkout")
    expect(snapshot(checkout, [".git", ".tamma", "node_modules"])).toEqual(before)
    expect(gitState(checkout)).toEqual(state)
    const recover = cli(["recover"], { cwd: checkout, bin })
    expect(recover.status).toBe(2)
    expect(recover.stderr).toContain("own checkout")
  })

  it("under npm (INIT_CWD), the default workspace and relative paths are the user's folder's", () => {
    const repo = scratchRepo()
    const requestDir = tempDir("tamma-request-")
    fs.copyFileSync(path.join(requests, "02-pricing.json"), path.join(requestDir, "pricing.json"))
    const relativeRequest = path.relative(repo, path.join(requestDir, "pricing.json"))
    const before = snapshot(checkout, [".git", ".tamma", "node_modules"])
    const state = gitState(checkout)
    const bin = path.join(checkout, "cli", "bin.ts")
    const run = cli(["generate", "--request", relativeRequest, "--json"], {
      cwd: checkout,
      bin,
      env: { INIT_CWD: repo }
    })
    expect(run.status, run.stderr).toBe(0)
    expect(parseDocument(run.stdout).status).toBe("success")
    expect(git(repo, "rev-parse", "--abbrev-ref", "HEAD")).not.toBe("main")
    expect(fs.existsSync(path.join(repo, "src", "pricing.ts"))).toBe(true)
    expect(snapshot(checkout, [".git", ".tamma", "node_modules"])).toEqual(before)
    expect(gitState(checkout)).toEqual(state)
  })

  it("a package folder named with --workspace is a workspace like any other", () => {
    const bin = path.join(checkout, "cli", "bin.ts")
    const run = cli(["runs", "--workspace", ".", "--json"], { cwd: checkout, bin })
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual([])
  })
})

/** A journal as a crash during an apply leaves it: `src/crashed.ts` created and not yet committed. */
const crashedRun = (repo: string, runId: string) => {
  fs.writeFileSync(path.join(repo, "src", "crashed.ts"), "export const half = 1\n")
  const folder = path.join(repo, ".tamma", "journal", runId)
  fs.mkdirSync(folder, { recursive: true })
  const journal = {
    runId,
    startedAt: Date.now(),
    summary: "a run that crashed",
    files: [{ path: "src/crashed.ts", after: "export const half = 1\n" }],
    createdFolders: []
  }
  fs.writeFileSync(path.join(folder, "journal.json"), JSON.stringify(journal))
}

describe("recover reports what this invocation recovered", () => {
  it("recover --json lists the run the start-up recovery undid", () => {
    const repo = scratchRepo()
    const before = snapshot(repo, [".git", ".tamma", "node_modules"])
    crashedRun(repo, "20261203T000000-abcdef")
    const run = cli(["recover", "--workspace", repo, "--json"])
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual([{ runId: "20261203T000000-abcdef", outcome: "restored", files: 1 }])
    expect(snapshot(repo, [".git", ".tamma", "node_modules"])).toEqual(before)
    expect(fs.readdirSync(path.join(repo, ".tamma", "journal"))).toEqual([])
  })

  it("recover says what it restored, once", () => {
    const repo = scratchRepo()
    crashedRun(repo, "20261203T000000-fedcba")
    const run = cli(["recover", "--workspace", repo])
    expect(run.status, run.stderr).toBe(0)
    expect(run.stdout).toBe("recovered run 20261203T000000-fedcba: restored 1 file(s) to their state before it\n")
    expect(run.stderr).not.toContain("recovered run")
    expect(fs.existsSync(path.join(repo, "src", "crashed.ts"))).toBe(false)
    const again = cli(["recover", "--workspace", repo])
    expect(again.stdout).toBe("nothing to recover\n")
  })
})

describe("rollback of a run whose branch is no longer checked out", () => {
  it("deletes the branch, says so, and leaves the files of the current checkout alone", () => {
    const repo = scratchRepo()
    const generated = cli(["generate", "--request", path.join(requests, "01-text-helpers.json"), "--workspace", repo])
    expect(generated.status, generated.stderr).toBe(0)
    const listed = cli(["runs", "--workspace", repo, "--json"])
    const [record] = JSON.parse(listed.stdout)
    git(repo, "checkout", "-q", "main")
    const before = snapshot(repo, [".git", ".tamma", "node_modules"])
    const state = gitState(repo)
    expect(state.branches.split("\n")).toContain(record.branch)

    const rolled = cli(["rollback", record.runId, "--workspace", repo])
    expect(rolled.status, rolled.stderr).toBe(0)
    expect(rolled.stdout).toContain(`deleted its branch ${record.branch}, which was not checked out`)
    expect(rolled.stdout).toContain("the files of the current checkout were not touched")
    expect(snapshot(repo, [".git", ".tamma", "node_modules"])).toEqual(before)
    expect(gitState(repo)).toEqual({ ...state, branches: "main" })
    expect(git(repo, "rev-parse", "--verify", "--quiet", `refs/heads/${record.branch}`)).toBe("")
    const after = JSON.parse(cli(["runs", "--workspace", repo, "--json"]).stdout)
    expect(after[0].rolledBackBy).toEqual(expect.any(String))
    // Once is enough.
    expect(cli(["rollback", record.runId, "--workspace", repo]).status).toBe(2)
  })

  it("reverts with a commit when the run's commit was merged into the checked-out branch", () => {
    const repo = scratchRepo()
    const generated = cli(["generate", "--request", path.join(requests, "01-text-helpers.json"), "--workspace", repo])
    expect(generated.status, generated.stderr).toBe(0)
    const [record] = JSON.parse(cli(["runs", "--workspace", repo, "--json"]).stdout)
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--ff-only", record.branch)
    const rolled = cli(["rollback", record.runId, "--workspace", repo, "--json"])
    expect(rolled.status, rolled.stderr).toBe(0)
    expect(JSON.parse(rolled.stdout).git).toBe("revert-commit")
    expect(fs.existsSync(path.join(repo, "src", "text.ts"))).toBe(false)
    expect(git(repo, "symbolic-ref", "HEAD")).toBe("refs/heads/main")
  })
})
