/**
 * A request that produces 8 independent files, against a local OpenAI-compatible server that
 * answers each call after a fixed delay: the wall time of the whole run (generation, checks,
 * review, stage, commit) against 8 calls one after the other, and the pipeline's own time, the
 * part of the run when no call is in flight, against the run. The real layers throughout: the
 * provider over HTTP with SSE, the language tools, the file manager, isomorphic-git.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as nodePath from "node:path"
import { Effect, Schema } from "effect"
import type { CodeGenConfig } from "../core/domain/Config.ts"
import { CodeGenerationRequest } from "../core/domain/Request.ts"
import { CodeGenerator } from "../core/pipeline/CodeGenerator.ts"
import type { Bench, BenchRow } from "./Timing.ts"

const files = 8
/** A file-sized answer: about 400 tokens at the 80 tokens a second of a hosted model. */
const delayMs = 5000
const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" }
const git = (dir: string, ...args: ReadonlyArray<string>) => execFileSync("git", args, { cwd: dir, env })

/** The SSE frames of an OpenAI-compatible streamed answer. */
const streamed = (text: string): string =>
  `${[
    { choices: [{ index: 0, delta: { role: "assistant", content: text }, finish_reason: null }] },
    { choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
    { choices: [], usage: { prompt_tokens: 400, completion_tokens: 40, total_tokens: 440 } }
  ]
    .map(
      (chunk) =>
        `data: ${JSON.stringify({ id: "bench", object: "chat.completion.chunk", model: "bench", ...chunk })}\n\n`
    )
    .join("")}data: [DONE]\n\n`

interface Call {
  readonly start: number
  end: number
}

/** Answers each call after `delayMs` with the file it asks for (or an empty review), keeping when calls were in flight. */
const server = async () => {
  const calls: Array<Call> = []
  const http_ = http.createServer((req, res) => {
    let body = ""
    req.on("data", (chunk) => {
      body += chunk
    })
    req.on("end", () => {
      const call: Call = { start: performance.now(), end: 0 }
      calls.push(call)
      const messages: ReadonlyArray<{ role: string; content: string }> = JSON.parse(body).messages
      const focus = /Answer with (\S+) only/.exec(messages.at(-1)?.content ?? "")?.[1]
      const index = /part(\d+)\.ts$/.exec(focus ?? "")?.[1]
      const answer =
        focus === undefined
          ? '```json\n{"findings": []}\n```'
          : `### ${focus}\n\`\`\`ts\n/** Part ${index} of the change. */\nexport const part${index} = ${index}\n\`\`\`\n`
      setTimeout(() => {
        res.writeHead(200, { "content-type": "text/event-stream" })
        res.end(streamed(answer), () => {
          call.end = performance.now()
        })
      }, delayMs)
    })
  })
  await new Promise<void>((resolve) => http_.listen(0, "127.0.0.1", resolve))
  return { url: `http://127.0.0.1:${(http_.address() as AddressInfo).port}`, calls, close: () => http_.close() }
}

/** A repository whose custom template renders the 8 files, and the config that points at the server. */
const workspace = (url: string, concurrency: number) => {
  const dir = fs.realpathSync(fs.mkdtempSync(nodePath.join(os.tmpdir(), "tamma-bench-ai-")))
  const template = nodePath.join(dir, "packs", "typescript", "implementation", "parts")
  fs.mkdirSync(nodePath.join(template, "files", "src"), { recursive: true })
  fs.writeFileSync(
    nodePath.join(template, "template.json"),
    JSON.stringify({
      id: "typescript/parts",
      name: "Independent parts",
      description: "Eight independent modules",
      language: "typescript",
      category: "implementation",
      version: "1.0.0",
      parameters: []
    })
  )
  for (let i = 0; i < files; i++) {
    fs.writeFileSync(nodePath.join(template, "files", "src", `part${i}.ts.njk`), `export const part${i} = 0\n`)
  }
  fs.writeFileSync(
    nodePath.join(dir, "tamma.config.json"),
    JSON.stringify({
      provider: { name: "openai-compatible", model: "bench", baseUrl: `${url}/v1`, concurrency },
      tests: { run: false },
      templateDirs: ["packs"]
    })
  )
  git(dir, "init", "--quiet", "--initial-branch=main")
  git(dir, "config", "user.name", "Bench")
  git(dir, "config", "user.email", "bench@example.com")
  git(dir, "add", "--all")
  git(dir, "commit", "--quiet", "-m", "initial")
  return dir
}

const request = Schema.decodeUnknownSync(CodeGenerationRequest)({
  taskType: "implementation",
  language: "typescript",
  template: "typescript/parts",
  context: { issue: { title: "Write the eight parts" } },
  requirements: { functionality: ["each part exports its number"] }
})

/** Milliseconds of [start, end] covered by at least one call. */
const inFlight = (calls: ReadonlyArray<Call>, start: number, end: number): number => {
  const spans = calls
    .map((call) => [Math.max(call.start, start), Math.min(call.end, end)] as const)
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0])
  let covered = 0
  let reach = start
  for (const [from, to] of spans) {
    if (to <= reach) continue
    covered += to - Math.max(from, reach)
    reach = to
  }
  return covered
}

/** One whole run in this process, with the layers the CLI builds. */
const runOnce = async (url: string, concurrency: number, calls: Array<Call>) => {
  const { layerUnlocked } = await import("../presets/NodePipeline.ts")
  const { loadConfig } = await import("../cli/Input.ts")
  const dir = workspace(url, concurrency)
  try {
    calls.length = 0
    const start = performance.now()
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const config: CodeGenConfig = yield* loadConfig(dir)
        return yield* CodeGenerator.use((generator) => generator.generateCode(request)).pipe(
          Effect.provide(layerUnlocked(dir, config))
        )
      })
    )
    const end = performance.now()
    if (result.status !== "success" || result.files.length !== files) {
      throw new Error(`the run did not write ${files} files: ${result.status} ${result.errors.map((e) => e.message)}`)
    }
    const wall = end - start
    return { wall, model: inFlight(calls, start, end), calls: calls.length }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const bench: Bench = async () => {
  const local = await server()
  try {
    const rows: Array<BenchRow> = []
    // The first run loads the language tools, as a CLI run does; the others find them loaded.
    const cold = await runOnce(local.url, files, local.calls)
    const warm = [await runOnce(local.url, files, local.calls), await runOnce(local.url, files, local.calls)]
    const median = warm.sort((a, b) => a.wall - b.wall)[0] ?? cold
    const bounded = await runOnce(local.url, 4, local.calls)
    rows.push(
      {
        name: `${files} files, ${files} calls at once (model answers after ${delayMs} ms)`,
        oursMs: median.wall,
        baselineMs: files * delayMs,
        note: `${median.calls} calls (${files} files + review); against ${files} calls one after the other`
      },
      {
        name: `${files} files, concurrency bound 4`,
        oursMs: bounded.wall,
        baselineMs: files * delayMs,
        note: "two waves of four calls, then the review"
      },
      {
        name: "pipeline time outside the model, warm",
        oursMs: median.wall - median.model,
        baselineMs: median.wall,
        target: 0.05,
        note: "the run's time with no call in flight, against the whole run"
      },
      {
        name: "pipeline time outside the model, first run",
        oursMs: cold.wall - cold.model,
        baselineMs: cold.wall,
        target: 0.05,
        note: "includes loading Biome, ESLint and the secrets scanner"
      }
    )
    return rows
  } finally {
    local.close()
  }
}

export default bench
