import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { describe, expect, it } from "vitest"
import { openAiCompletion } from "../plugins/ai/Wire.ts"
import { demoRequests, git, runCli, scratchFolders } from "./support/CliProcess.ts"

const request = `${demoRequests}/02-pricing.json`
const { onCleanup, demoRepository } = scratchFolders()

const esc = "\u001b"
/** An OSC title change, a screen clear, and a line drawn over the one before it. */
const hostile = `${esc}]0;pwned\u0007${esc}[2J\r✓ all good`
const hostileShown = "\\x1b]0;pwned\\x07\\x1b[2J\\x0d✓ all good"
/** The same in code, where a carriage return would end the line: the cursor goes up and the line is erased instead. */
const hostileCode = `${esc}]0;pwned\u0007${esc}[2J${esc}[1A${esc}[2K✓ all good`
const hostileCodeShown = "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[1A\\x1b[2K✓ all good"
// biome-ignore lint/suspicious/noControlCharactersInRegex: what must never reach the terminal
const rawControl = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

const repoWithConfig = (config: unknown): string => demoRepository("tamma-term-", { config })

const answer = (source: ReadonlyArray<string>, test: ReadonlyArray<string>) =>
  ["```ts src/pricing.ts", ...source, "```", "", "```ts test/pricing.test.ts", ...test, "```"].join("\n")

const source = [
  "/** Applies a percentage discount to a price in cents, rounding half up. */",
  "export function applyDiscount(cents: number, percent: number): number {",
  '  if (percent < 0 || percent > 100) throw new RangeError("bad discount")',
  "  return Math.round((cents * (100 - percent)) / 100)",
  "}"
]
const testOf = (expected: number) => [
  'import { describe, expect, it } from "vitest"',
  'import { applyDiscount } from "../src/pricing"',
  "",
  'describe("applyDiscount", () => {',
  `  it("takes 15% off ${hostileCode}", () => {`,
  `    expect(applyDiscount(1000, 15)).toBe(${expected})`,
  "  })",
  "})"
]

/** A model with control sequences in its code (`hostileCode`), its test names and its review. */
const serve = async (code: string) => {
  let calls = 0
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (chunk) => {
      body += chunk
    })
    req.on("end", () => {
      calls += 1
      const review = body.includes("You review a code change")
      const text = review
        ? JSON.stringify({ findings: [{ severity: "info", file: "src/pricing.ts", message: `looks fine ${hostile}` }] })
        : code
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(openAiCompletion(review ? `\`\`\`json\n${text}\n\`\`\`` : text)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  onCleanup(() => server.close())
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls: () => calls }
}

const cli = (args: ReadonlyArray<string>) => runCli(args)

const provider = (url: string) => ({ name: "openai-compatible", model: "local", baseUrl: url, stream: false })
const generate = (repo: string, ...flags: ReadonlyArray<string>) =>
  cli(["generate", "--request", request, "--workspace", repo, ...flags])

describe("what reaches the terminal from a model", () => {
  it("--dry-run shows the diffs, test names and review with every control sequence made visible", async () => {
    const withComment = [`// ${hostileCode}`, ...source]
    const server = await serve(answer(withComment, testOf(850)))
    // A gate that lets the finding through, so the diff is shown as a success would show it.
    const repo = repoWithConfig({
      provider: provider(server.url),
      quality: { failOnSecurity: ["critical"], minScore: 0 }
    })
    const run = await generate(repo, "--dry-run")
    expect(run.stdout).not.toMatch(rawControl)
    expect(run.stderr).not.toMatch(rawControl)
    expect(run.stdout).toContain(`+// ${hostileCodeShown}`)
    expect(run.stdout).toContain("control-characters/raw-control-character CWE-150 high")
    expect(run.stdout).toContain(`review info src/pricing.ts: looks fine ${hostileShown}`)
    expect(run.stdout).toContain("dry run: nothing was written")
    expect(run.status).toBe(0)

    // --json: the same document (the file keeps its bytes), with nothing raw on the terminal.
    const json = await generate(repo, "--dry-run", "--json")
    expect(json.stdout).not.toMatch(rawControl)
    const result = JSON.parse(json.stdout)
    const file = result.files.find((f: { path: string }) => f.path === "src/pricing.ts")
    expect(file.content).toContain(hostileCode)
    expect(git(repo, "status", "--porcelain")).toBe("")
  })

  it("with the default gate, a file with raw control characters fails (CWE-150): exit 1, nothing written", async () => {
    const server = await serve(answer([`// ${hostileCode}`, ...source], testOf(850)))
    const repo = repoWithConfig({ provider: provider(server.url), maxIterations: 1 })
    const run = await generate(repo)
    expect(run.status).toBe(1)
    expect(`${run.stdout}${run.stderr}`).not.toMatch(rawControl)
    expect(run.stdout).toContain("control-characters/raw-control-character")
    expect(run.stdout).not.toContain("over 0 file(s)")
    expect(run.stdout).toMatch(/status failed$/m)
    expect(git(repo, "status", "--porcelain")).toBe("")
    expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
  })

  it("a failed test run shows each failing test with its message, the failure, and no quality over 0 files", async () => {
    const server = await serve(answer(source, testOf(851)))
    // The test's name carries control sequences: a gate that lets them through, so the tests run.
    const repo = repoWithConfig({
      provider: provider(server.url),
      maxIterations: 1,
      quality: { failOnSecurity: ["critical"], minScore: 0 }
    })
    const run = await generate(repo)
    expect(run.status).toBe(1)
    expect(`${run.stdout}${run.stderr}`).not.toMatch(rawControl)
    expect(run.stdout).toMatch(/tests vitest: failed: 0 passed, 1 failed/)
    // The test step is drawn as failed, and each round of the repair loop has its line.
    expect(run.stderr).toMatch(/^ {2}✗ test +\d+ ms vitest: 0 passed, 1 failed/m)
    expect(run.stderr).not.toMatch(/✓ test /)
    expect(run.stdout).toMatch(/round 1 \(initial\): \d+ call\(s\), [\d,]+ tokens → tests-failed/)
    expect(run.stdout).toContain(`✗ applyDiscount takes 15% off ${hostileCodeShown} (test/pricing.test.ts)`)
    expect(run.stdout).toMatch(/expected 850 to be 851/)
    expect(run.stdout).toMatch(/error TestsFailedError/)
    expect(run.stdout).not.toContain("over 0 file(s)")
    // The change that was not written is shown, and said to be.
    expect(run.stdout).toMatch(/^create src\/pricing\.ts \(typescript, quality \d\.\d\d\) not written$/m)
    expect(run.stdout).toContain("nothing was written")
    expect(server.calls()).toBeGreaterThan(0)
    expect(git(repo, "status", "--porcelain")).toBe("")
  })
})
