import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { bin, cliSync, demoRequests, git, scratchFolders, writeTree } from "./support/CliProcess.ts"

const { tempDir } = scratchFolders()

// Relative paths and the config resolve against the folder the command runs in, not npm's.
const env = (): NodeJS.ProcessEnv => {
  const { INIT_CWD: _initCwd, ...rest } = process.env
  return { ...rest, NO_COLOR: "1" }
}

const cli = (args: ReadonlyArray<string>, cwd: string) =>
  cliSync(args, { cwd, env: { INIT_CWD: undefined }, timeout: 120_000 })

const tree = (files: Record<string, string | Uint8Array>): string => writeTree(tempDir("tamma-limits-"), files)

interface Report {
  readonly score: number
  readonly files: ReadonlyArray<{ readonly path: string; readonly issues: ReadonlyArray<unknown> }>
  readonly skipped: ReadonlyArray<{ readonly path: string; readonly reason: string; readonly detail: string }>
}

const binary = new Uint8Array([...new TextEncoder().encode("export const a = 1\n"), 0, 159, 146, 150, 0, 10])

describe("the per-file screen in validate and format", () => {
  it("validate lists too large and binary files with their reason, and scores only the others", () => {
    const dir = tree({
      "src/ok.ts": "export const ok = 1\n",
      // Over the default 1 MiB, and broken: a check would report it.
      "src/big.ts": `const = \n${"x".repeat(1_100_000)}\n`,
      "src/bin.ts": binary
    })
    const json = cli(["validate", "src", "--json"], dir)
    expect(json.status).toBe(0)
    const report = JSON.parse(json.stdout) as Report
    expect(report.files.map((file) => file.path)).toEqual(["src/ok.ts"])
    expect(report.score).toBe(1)
    expect(report.skipped).toEqual([
      { path: "src/big.ts", reason: "too-large", detail: "1100010 bytes > 1048576 bytes" },
      { path: "src/bin.ts", reason: "binary", detail: "contains a NUL byte" }
    ])
    const text = cli(["validate", "src"], dir)
    expect(text.status).toBe(0)
    expect(text.stdout).toContain("1 file(s), 0 issue(s), score 1.00")
    expect(text.stdout).toContain("skipped src/big.ts (too-large: 1100010 bytes > 1048576 bytes)")
    expect(text.stdout).toContain("skipped src/bin.ts (binary: contains a NUL byte)")
  })

  it("takes the limit from the config's files.maxFileBytes", () => {
    const dir = tree({
      "tamma.config.json": JSON.stringify({ files: { maxFileBytes: 64 } }),
      "src/small.ts": "export const a = 1\n",
      "src/larger.ts": `export const text = "${"y".repeat(100)}"\n`
    })
    const run = cli(["validate", "src", "--json"], dir)
    expect(run.status).toBe(0)
    const report = JSON.parse(run.stdout) as Report
    expect(report.files.map((file) => file.path)).toEqual(["src/small.ts"])
    expect(report.skipped.map((file) => [file.path, file.reason])).toEqual([["src/larger.ts", "too-large"]])
  })

  it("reads a file whole under a limit far above its size", () => {
    const dir = tree({
      "tamma.config.json": JSON.stringify({ files: { maxFileBytes: 1_000_000_000_000 } }),
      "src/a.ts": `export const text = "${"z".repeat(600_000)}"\n`
    })
    const run = cli(["validate", "src", "--json"], dir)
    expect(run.status).toBe(0)
    const report = JSON.parse(run.stdout) as Report
    expect(report.files.map((file) => file.path)).toEqual(["src/a.ts"])
    expect(report.skipped).toEqual([])
  })

  it("validate with nothing left to check after the screen claims no score, and names what it skipped", () => {
    const dir = tree({ "src/bin.ts": binary })
    const run = cli(["validate", "src"], dir)
    expect(run.status).toBe(2)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain("skipped src/bin.ts (binary: contains a NUL byte)")
    expect(run.stderr).toContain("NothingToValidateError")
    expect(run.stderr).toContain("1 file(s) skipped as too large or binary")
  })

  it("format leaves a binary or too large file untouched and says so", () => {
    const big = `export const   big =  1;\n${"// padding\n".repeat(100_000)}`
    const dir = tree({ "a.ts": "export const a   =  1;\n", "bin.ts": binary, "big.ts": big })
    const run = cli(["format", "."], dir)
    expect(run.status).toBe(0)
    expect(fs.readFileSync(path.join(dir, "a.ts"), "utf8")).toBe("export const a = 1\n")
    expect(new Uint8Array(fs.readFileSync(path.join(dir, "bin.ts")))).toEqual(binary)
    expect(fs.readFileSync(path.join(dir, "big.ts"), "utf8")).toBe(big)
    expect(run.stdout).toContain("formatted a.ts")
    expect(run.stdout).toContain("skipped bin.ts (binary: contains a NUL byte)")
    expect(run.stdout).toContain(`skipped big.ts (too-large: ${Buffer.byteLength(big)} bytes > 1048576 bytes)`)
  })
})

describe("symlinks while collecting files", () => {
  it("are not followed out of the tree, and a loop or a second path to a file lists it once", () => {
    const dir = tree({ "src/a.ts": "export const a = 1\n", "src/sub/b.ts": "export const b = 2\n", "outside.ts": "x" })
    fs.symlinkSync("/", path.join(dir, "src", "root"))
    fs.symlinkSync("..", path.join(dir, "src", "up"))
    fs.symlinkSync("../..", path.join(dir, "src", "sub", "loop"))
    fs.symlinkSync("..", path.join(dir, "src", "sub", "parent"))
    fs.symlinkSync("sub", path.join(dir, "src", "linked"))
    fs.symlinkSync("a.ts", path.join(dir, "src", "alias.ts"))
    fs.symlinkSync("missing.ts", path.join(dir, "src", "dangling.ts"))
    const started = Date.now()
    const run = cli(["validate", "src", "--json"], dir)
    expect(Date.now() - started).toBeLessThan(60_000)
    expect(run.status).toBe(0)
    const report = JSON.parse(run.stdout) as Report
    // `linked` sorts before `sub`, so b.ts is reached through the link first; `alias.ts` is a.ts again.
    expect(report.files.map((file) => file.path)).toEqual(["src/a.ts", "src/linked/b.ts"])
  })
})

/** CPU seconds the process has used, all threads (Linux). */
const cpuSeconds = (pid: number): number => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/**
 * Starts the command, waits until it has used `busy` CPU seconds (start-up uses well under one,
 * so it is checking or formatting by then), sends `signal`, and measures how long it takes to end.
 */
const interrupted = async (args: ReadonlyArray<string>, cwd: string, signal: NodeJS.Signals, busy = 2) => {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: env(), stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8")
  })
  const ended = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  const pid = child.pid ?? 0
  let finished = false
  void ended.then(() => {
    finished = true
  })
  while (!finished && cpuSeconds(pid) < busy) await new Promise((resolve) => setTimeout(resolve, 50))
  expect(finished).toBe(false)
  const sent = Date.now()
  child.kill(signal)
  const code = await ended
  return { code, ms: Date.now() - sent, stdout }
}

describe("Ctrl-C during validate and format", () => {
  // Some 9 MB of TypeScript in 150 files: tens of seconds of checking on two cores.
  const unformatted = Array.from(
    { length: 1500 },
    (_, i) => `export function f${i}(a: number,b: number): number { const x = a*${i}+b; return x>10 ? x-1 : x+1; }`
  ).join("\n")
  const large = () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 150; i++) files[`src/m${String(i).padStart(3, "0")}.ts`] = `${unformatted}\n`
    return tree(files)
  }

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`validate ends with 130 within a second of ${signal}`, async () => {
      const dir = large()
      const { code, ms } = await interrupted(["validate", "src", "--json"], dir, signal)
      console.log(`validate: ${signal} → exit ${code} in ${ms} ms`)
      expect(code).toBe(130)
      expect(ms).toBeLessThan(3_000)
    }, 120_000)
  }

  it("format ends with 130 within a second of SIGINT, with every file as it was", async () => {
    const dir = large()
    const { code, ms, stdout } = await interrupted(["format", "src"], dir, "SIGINT")
    console.log(`format: SIGINT → exit ${code} in ${ms} ms`)
    expect(code).toBe(130)
    expect(ms).toBeLessThan(3_000)
    expect(stdout).toBe("")
    for (const file of fs.readdirSync(path.join(dir, "src"))) {
      expect(fs.readFileSync(path.join(dir, "src", file), "utf8")).toBe(`${unformatted}\n`)
    }
  }, 120_000)
})

describe("limits in tamma.config.json that cannot be met", () => {
  const { demoRepository } = scratchFolders()
  it("a zero or negative timeout, concurrency or size is refused before anything runs: exit 2, each field named", () => {
    const repo = demoRepository("tamma-limits-config-", {
      config: {
        concurrency: 0,
        tests: { timeoutMs: 0 },
        provider: { name: "none", timeoutMs: -1 },
        files: { maxFileBytes: -1, maxPathLength: 0 }
      }
    })
    const head = git(repo, "rev-parse", "HEAD")
    const run = cli(
      ["generate", "--request", path.join(demoRequests, "02-pricing.json"), "--workspace", repo, "--json"],
      repo
    )
    expect(run.status).toBe(2)
    const result = JSON.parse(run.stdout) as { status: string; errors: ReadonlyArray<{ tag: string; message: string }> }
    expect(result.status).toBe("failed")
    expect(result.errors[0]?.tag).toBe("ConfigInvalidError")
    for (const field of [
      '["concurrency"]',
      '["tests"]["timeoutMs"]',
      '["provider"]["timeoutMs"]',
      '["files"]["maxFileBytes"]',
      '["files"]["maxPathLength"]'
    ])
      expect(result.errors[0]?.message).toContain(field)
    expect(git(repo, "rev-parse", "HEAD")).toBe(head)
    expect(git(repo, "status", "--porcelain")).toBe("")
    expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
  })
})
