import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import {
  anthropicError,
  anthropicMessage,
  anthropicSse,
  openAiCompletion,
  openAiError,
  openAiSse
} from "../plugins/ai/Wire.ts"
import { demoRequests, git, runCli, scratchFolders } from "./support/CliProcess.ts"

const request = path.join(demoRequests, "02-pricing.json")
const { onCleanup, demoRepository, userHome } = scratchFolders()

interface Reply {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly json: unknown
}

interface Completion {
  readonly content?: ReadonlyArray<{ readonly text: string }>
  readonly usage?: {
    readonly input_tokens?: number
    readonly prompt_tokens?: number
    readonly completion_tokens?: number
  }
  readonly choices?: ReadonlyArray<{ readonly message: { readonly content: string } }>
}

/** A successful JSON answer as the SSE frames the same server sends to a request that asks to stream. */
const asStream = (json: Completion): ReadonlyArray<string> =>
  json.content !== undefined
    ? anthropicSse(
        json.content.map((part) => part.text),
        { input: json.usage?.input_tokens ?? 12 }
      )
    : openAiSse(
        (json.choices ?? []).map((choice) => choice.message.content),
        { prompt: json.usage?.prompt_tokens ?? 19, completion: json.usage?.completion_tokens ?? 10 }
      )

/**
 * A server on 127.0.0.1 answering each request with the next reply, as JSON or, when the request
 * asks to stream, as the protocol's SSE events; it counts what it got.
 */
const serve = async (replies: ReadonlyArray<Reply>) => {
  const seen: Array<{ readonly path: string; readonly body: string }> = []
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (chunk) => {
      body += chunk
    })
    req.on("end", () => {
      seen.push({ path: req.url ?? "", body })
      const reply = replies[seen.length - 1] ?? { status: 500, json: { error: { message: "script ended" } } }
      const status = reply.status ?? 200
      if (status === 200 && JSON.parse(body).stream === true) {
        res.writeHead(status, { "content-type": "text/event-stream", ...reply.headers })
        for (const frame of asStream(reply.json as Completion)) res.write(frame)
        res.end()
        return
      }
      res.writeHead(status, { "content-type": "application/json", ...reply.headers })
      res.end(JSON.stringify(reply.json))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  onCleanup(() => server.close())
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

const repoWithConfig = (config: unknown): string => demoRepository("tamma-ai-", { config })

/** Runs the CLI without blocking this process, so the local server can answer it. */
const cli = (args: ReadonlyArray<string>, env: Record<string, string> = {}) => runCli(args, { env })

const modelAnswer = [
  "Here is the module and its tests.",
  "",
  "```ts src/pricing.ts",
  "/** Applies a percentage discount to a price in cents, rounding half up. */",
  "export function applyDiscount(cents: number, percent: number): number {",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the model's answer is TypeScript source holding a template literal
  "  if (percent < 0 || percent > 100) throw new RangeError(`bad discount ${percent}`)",
  "  return Math.round((cents * (100 - percent)) / 100)",
  "}",
  "```",
  "",
  "```ts test/pricing.test.ts",
  'import { describe, expect, it } from "vitest"',
  'import { applyDiscount } from "../src/pricing"',
  "",
  'describe("applyDiscount", () => {',
  '  it("takes 15% off", () => {',
  "    expect(applyDiscount(1000, 15)).toBe(850)",
  "  })",
  "})",
  "```"
].join("\n")

const review =
  '```json\n{"findings": [{"severity": "info", "file": "src/pricing.ts", "message": "consider naming the rounding mode"}]}\n```'

describe("generate with a model over the wire", () => {
  it("an OpenAI-compatible server (Ollama-style): the model's files are checked, tested and committed", async () => {
    const server = await serve([
      // One call per file: the module, then its test; then the review.
      { json: openAiCompletion(modelAnswer, { prompt: 1200, completion: 300 }) },
      { json: openAiCompletion(modelAnswer, { prompt: 1000, completion: 300 }) },
      { json: openAiCompletion(review, { prompt: 800, completion: 40 }) }
    ])
    const repo = repoWithConfig({
      provider: { name: "openai-compatible", model: "qwen2.5-coder", baseUrl: `${server.url}/v1` }
    })
    const run = await cli(["generate", "--request", request, "--workspace", repo, "--json"])
    expect(run.status).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result.metadata.generator).toBe("ai")
    expect(result.metadata.provider).toBe("openai-compatible")
    expect(result.metadata.tokens.input).toBe(3000)
    expect(result.metadata.tokens.calls).toBe(3)
    // Answers are streamed, and the progress tells what arrived.
    expect(JSON.parse(server.seen[0]?.body ?? "{}").stream).toBe(true)
    expect(run.stderr).toMatch(/generate .*characters from openai-compatible/)
    expect(JSON.parse(server.seen[1]?.body ?? "{}").messages.at(-1).content).toContain(
      "Answer with test/pricing.test.ts only"
    )
    expect(result.suggestions).toContain("review info src/pricing.ts: consider naming the rounding mode")
    expect(result.metadata.steps.map((s: { step: string }) => s.step)).toEqual(
      expect.arrayContaining(["compile", "test", "review"])
    )
    expect(result.tests.passed).toBe(1)
    expect(server.seen[0]?.path).toBe("/v1/chat/completions")
    expect(JSON.parse(server.seen[0]?.body ?? "{}").model).toBe("qwen2.5-coder")
    expect(fs.readFileSync(path.join(repo, "src", "pricing.ts"), "utf8")).toContain("bad discount")
    expect(git(repo, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([
      "src/pricing.ts",
      "test/pricing.test.ts"
    ])
  })

  it("Anthropic: a 429 with retry-after is waited out, then the answer is used", async () => {
    const server = await serve([
      { status: 429, headers: { "retry-after": "1" }, json: anthropicError("rate_limit_error", "slow down") },
      { json: anthropicMessage(modelAnswer) },
      { json: anthropicMessage(modelAnswer) },
      { json: anthropicMessage(review) }
    ])
    // The workspace chooses the model; where the key goes is the user's (environment or own config).
    const repo = repoWithConfig({ provider: { name: "anthropic", model: "claude-sonnet-4-5" } })
    const run = await cli(["generate", "--request", request, "--workspace", repo], {
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_BASE_URL: server.url
    })
    expect(run.status).toBe(0)
    expect(server.seen).toHaveLength(4)
    expect(server.seen[0]?.path).toBe("/v1/messages")
    expect(git(repo, "log", "--format=%s", "-1")).toBe("feat: compute discounted prices in cents")
  })

  it("a 401 is an auth failure: one request, exit 1, nothing written, the key never printed", async () => {
    const server = await serve([
      { status: 401, json: openAiError("Incorrect API key provided", "invalid_request_error", "invalid_api_key") }
    ])
    const repo = repoWithConfig({ provider: { name: "openai", model: "gpt-4.1" } })
    const run = await cli(["generate", "--request", request, "--workspace", repo], {
      OPENAI_API_KEY: "sk-secret-value",
      OPENAI_BASE_URL: server.url
    })
    expect(run.status).toBe(1)
    expect(server.seen).toHaveLength(1)
    expect(`${run.stdout}${run.stderr}`).toContain("auth")
    expect(`${run.stdout}${run.stderr}`).not.toContain("sk-secret-value")
    expect(git(repo, "status", "--porcelain")).toBe("")
    expect(git(repo, "branch", "--format=%(refname:short)")).toBe("main")
  })

  it("an overloaded primary falls back to the second provider", async () => {
    const primary = await serve([
      { status: 529, json: anthropicError("overloaded_error", "Overloaded") },
      { status: 529, json: anthropicError("overloaded_error", "Overloaded") }
    ])
    const secondary = await serve([
      { json: openAiCompletion(modelAnswer) },
      { json: openAiCompletion(modelAnswer) },
      { json: openAiCompletion(review) }
    ])
    // Fallbacks are the user's to add (a workspace may not add one), so they are in the user's config.
    const home = userHome({
      provider: {
        name: "anthropic",
        maxRetries: 1,
        fallbacks: [{ name: "openai-compatible", model: "local", baseUrl: `${secondary.url}/v1` }]
      }
    })
    const repo = repoWithConfig({})
    const run = await cli(["generate", "--request", request, "--workspace", repo], {
      XDG_CONFIG_HOME: home,
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_BASE_URL: primary.url
    })
    expect(run.status).toBe(0)
    expect(primary.seen.length).toBeGreaterThanOrEqual(2)
    expect(secondary.seen.length).toBeGreaterThanOrEqual(1)
  })

  it("--provider, --model and --base-url override the config; --no-run-tests skips the test step", async () => {
    const server = await serve([
      { json: openAiCompletion(modelAnswer) },
      { json: openAiCompletion(modelAnswer) },
      { json: openAiCompletion(review) }
    ])
    const repo = repoWithConfig({ provider: { name: "anthropic", model: "claude-sonnet-4-5", stream: false } })
    const run = await cli([
      "generate",
      "--request",
      request,
      "--workspace",
      repo,
      "--provider",
      "openai-compatible",
      "--model",
      "llama3.2",
      "--base-url",
      `${server.url}/v1`,
      "--no-run-tests",
      "--json"
    ])
    expect(run.status).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(JSON.parse(server.seen[0]?.body ?? "{}").model).toBe("llama3.2")
    // `stream: false` in the config: one JSON answer per call.
    expect(JSON.parse(server.seen[0]?.body ?? "{}").stream).toBeUndefined()
    expect(result.metadata.steps.find((s: { step: string }) => s.step === "test")?.status).toBe("skipped")
    expect(result.tests).toBeUndefined()
  })
})
