import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { maxRequestBytes } from "../../cli/Input.ts"
import { bin, type CliRun, demoRequests, gitState, runCli, scratchFolders, snapshot } from "./support/CliProcess.ts"
import { countingModel } from "./support/CountingModel.ts"

const { onCleanup, tempDir, userHome, demoRepository } = scratchFolders()

const pricing = fs.readFileSync(path.join(demoRequests, "02-pricing.json"), "utf8")

/** The demo's pricing request as JSON of exactly `bytes` bytes (trailing spaces), with `options`. */
const requestOfSize = (bytes: number, options: unknown = {}) => {
  const text = JSON.stringify({ ...JSON.parse(pricing), options })
  return text + " ".repeat(bytes - Buffer.byteLength(text))
}

/** The first error of a `--json` run. */
const firstError = (run: CliRun) =>
  (JSON.parse(run.stdout) as { errors: Array<{ tag: string; message: string }> }).errors[0]

/** A `generate` run on a fresh demo repository with `request`; its result, and whether it changed anything. */
const generate = async (request: string, stdin?: number) => {
  const model = await countingModel(onCleanup)
  const repo = demoRepository("tamma-request-size-")
  const before = { git: gitState(repo), files: snapshot(repo) }
  const env = {
    ...process.env,
    NO_COLOR: "1",
    OPENAI_API_KEY: "sk-test",
    XDG_CONFIG_HOME: userHome({ provider: { name: "openai", model: "gpt-4.1", baseUrl: model.url, stream: false } })
  }
  const args = ["generate", "--request", request, "--workspace", repo, "--no-run-tests", "--json"]
  const run =
    stdin === undefined
      ? await runCli(args, { env })
      : await new Promise<CliRun>((resolve) => {
          const child = spawn(process.execPath, [bin, ...args], { env, stdio: [stdin, "pipe", "pipe"] })
          let stdout = ""
          let stderr = ""
          child.stdout?.on("data", (chunk) => {
            stdout += chunk
          })
          child.stderr?.on("data", (chunk) => {
            stderr += chunk
          })
          child.on("close", (status) => resolve({ status, stdout, stderr }))
        })
  return { run, requests: model.requests(), unchanged: { git: gitState(repo), files: snapshot(repo) }, before }
}

describe("a request larger than the most a request may hold", () => {
  it("is exit 2 before the model is called, nothing written: a file one byte over", async () => {
    const file = path.join(tempDir("tamma-request-"), "request.json")
    fs.writeFileSync(file, requestOfSize(maxRequestBytes + 1))
    const { run, requests, unchanged, before } = await generate(file)
    expect(run.status).toBe(2)
    expect(firstError(run)?.tag).toBe("RequestInvalidError")
    expect(firstError(run)?.message).toContain("larger than 4 MiB")
    expect(requests).toBe(0)
    expect(unchanged).toEqual(before)
  }, 60_000)

  it("is read no further than the limit: an endless stdin ends in exit 2", async () => {
    const zeros = fs.openSync("/dev/zero", "r")
    onCleanup(() => fs.closeSync(zeros))
    const fromStdin = await generate("-", zeros)
    expect(fromStdin.run.status).toBe(2)
    expect(firstError(fromStdin.run)?.message).toContain("larger than 4 MiB")
    expect(fromStdin.requests).toBe(0)
    expect(fromStdin.unchanged).toEqual(fromStdin.before)
  }, 60_000)

  it("at exactly the limit is read whole: decoded, and refused here only for its bad branch", async () => {
    const file = path.join(tempDir("tamma-request-"), "request.json")
    fs.writeFileSync(file, requestOfSize(maxRequestBytes, { branch: "a..b" }))
    const { run, requests } = await generate(file)
    expect(run.status).toBe(2)
    expect(firstError(run)?.message).toContain('["options"]["branch"]')
    expect(firstError(run)?.message).not.toContain("larger than")
    expect(requests).toBe(0)
  }, 60_000)
})

describe("a request path that is not a regular file", () => {
  it("a FIFO is refused, exit 2, before it is opened: with no writer, or one that never closes, it would wait for ever", async () => {
    const fifo = path.join(tempDir("tamma-request-"), "request.json")
    execFileSync("mkfifo", [fifo])
    // Killed outright after a while: on a hang the CLI would wait for its blocked open even on SIGTERM.
    const alone = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [
        bin,
        "generate",
        "--request",
        fifo,
        "--workspace",
        tempDir("tamma-request-ws-"),
        "--json"
      ])
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000)
      let stdout = ""
      child.stdout.on("data", (chunk) => {
        stdout += chunk
      })
      child.on("close", (status) => {
        clearTimeout(timer)
        resolve({ status, stdout })
      })
    })
    expect(alone.status).toBe(2)
    expect(alone.stdout).toContain("a FIFO, not a regular file")
    // A writer that never closes: the request is complete JSON, yet its end never comes.
    const writer = spawn("sh", ["-c", 'printf %s "$1" > "$0"; exec sleep 600 > "$0"', fifo, pricing], {
      stdio: "ignore"
    })
    onCleanup(() => writer.kill("SIGKILL"))
    const open = await generate(fifo)
    expect(open.run.status).toBe(2)
    expect(firstError(open.run)?.message).toContain("a FIFO, not a regular file")
    expect(open.requests).toBe(0)
    expect(open.unchanged).toEqual(open.before)
  }, 60_000)

  it("stdin on a terminal: the CLI says it waits for the request there, and reads it to Ctrl-D", async () => {
    const repo = demoRepository("tamma-request-tty-")
    // `script` gives the CLI a terminal for stdin, as a user typing at a prompt has.
    const command = [process.execPath, bin, "generate", "--request", "-", "--workspace", repo, "--json"]
      .map((word) => `'${word}'`)
      .join(" ")
    const child = spawn("script", ["-qfec", command, "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] })
    onCleanup(() => child.kill("SIGKILL"))
    let output = ""
    const prompted = new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk) => {
        output += chunk
        if (output.includes("Reading the request from the terminal")) resolve()
      })
    })
    const waited = setTimeout(() => child.kill("SIGKILL"), 20_000)
    await Promise.race([prompted, new Promise((resolve) => child.on("close", resolve))])
    clearTimeout(waited)
    expect(output).toContain("Reading the request from the terminal")
    // Not JSON, then end of input: the CLI read the terminal and judged what it got.
    child.stdin.write("nope\n\u0004")
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve))
    expect(output).toContain("not valid JSON")
    expect(status).toBe(2)
  }, 60_000)
})
