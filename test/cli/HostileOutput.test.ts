import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { demoRequests, gitState, runCli, scratchFolders } from "./support/CliProcess.ts"

const { onCleanup, userHome, demoRepository } = scratchFolders()

/** OSC 52 (clipboard), a screen clear, an OSC 8 link, BEL, CR, a C1 CSI and the bidi overrides. */
const hostile = "\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u001b]8;;http://evil\u0007link\r\u009b31m\u202eevil\u2066"

/** Any character a terminal would obey rather than show (tab and newline are text). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

/** A loopback model that answers every request with `status` and `body`. */
const model = async (status: number, body: string) => {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on("end", () => {
      res.writeHead(status, { "content-type": "application/json" })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  onCleanup(() => server.close())
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
}

const generate = async (baseUrl: string, json: boolean) => {
  const repo = demoRepository("tamma-hostile-")
  const state = gitState(repo)
  const run = await runCli(
    [
      "generate",
      "--request",
      path.join(demoRequests, "02-pricing.json"),
      "--workspace",
      repo,
      "--no-run-tests",
      ...(json ? ["--json"] : [])
    ],
    {
      env: {
        OPENAI_API_KEY: "sk-test",
        XDG_CONFIG_HOME: userHome({
          provider: { name: "openai", model: "gpt-4.1", baseUrl, stream: false, maxRetries: 0 }
        })
      }
    }
  )
  expect(gitState(repo)).toEqual(state)
  return run
}

describe("control sequences from a provider never reach the terminal raw", () => {
  it("an error body full of them: the log line and the failure show them escaped, in text and --json", async () => {
    const baseUrl = await model(500, JSON.stringify({ error: { message: `boom ${hostile}`, type: "server_error" } }))
    for (const json of [false, true]) {
      const run = await generate(baseUrl, json)
      expect(run.status).toBe(1)
      expect(run.stderr).toContain("AI request failed")
      expect(run.stderr).not.toMatch(rawControl)
      expect(run.stdout).not.toMatch(rawControl)
      // Shown, not dropped: a reviewer sees what the provider sent.
      expect(run.stderr).toContain("\\u202eevil")
    }
  })
})
