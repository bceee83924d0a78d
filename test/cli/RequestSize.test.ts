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

  it("is read no further than the limit: an endless FIFO and an endless stdin end in exit 2", async () => {
    const fifo = path.join(tempDir("tamma-request-"), "request.json")
    execFileSync("mkfifo", [fifo])
    // A writer that never ends: a reader that reads all would never end either.
    const writer = spawn("sh", ["-c", 'exec cat /dev/zero > "$0"', fifo], { stdio: "ignore" })
    onCleanup(() => writer.kill("SIGKILL"))
    const fromFifo = await generate(fifo)
    expect(fromFifo.run.status).toBe(2)
    expect(firstError(fromFifo.run)?.message).toContain("larger than 4 MiB")
    expect(fromFifo.unchanged).toEqual(fromFifo.before)

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
