/**
 * A job's model answers are kept in Postgres: a job whose worker is killed after the model
 * answered resumes on another worker without asking the model that again. Real Postgres, real
 * worker processes, and a model server on loopback that counts what it is asked.
 */
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, ManagedRuntime, Schema } from "effect"
import type { SqlClient } from "effect/sql"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CodeGenerationRequest } from "../../../core/domain/Request.ts"
import { makeRepository, project, startWorker, type Worker } from "../../../examples/cluster/ClusterFixture.ts"
import { type LocalPostgres, postgresBinaries, startPostgres } from "../../../examples/cluster/LocalPostgres.ts"
import * as ClusterJobs from "../../../plugins/cluster/ClusterJobs.ts"
import { type ClusterClient, clientLayer } from "../../../plugins/cluster/ClusterLayers.ts"
import { GenerationJob, JobOptions, JobRepository } from "../../../plugins/cluster/Job.ts"
import { recordedEntries } from "../../../plugins/cluster/ModelAnswers.ts"

const installed = postgresBinaries() !== undefined

/** What the model saw, as the store keys it: the roles and texts of the messages. */
const messagesOf = (messages: ReadonlyArray<{ readonly role: string; readonly content: string }>) =>
  JSON.stringify(messages.map((m) => [m.role, m.content]))

const ChatBody = Schema.Struct({
  messages: Schema.Array(Schema.Struct({ role: Schema.String, content: Schema.String })),
  stream: Schema.optional(Schema.Boolean)
})
const decodeBody = Schema.decodeUnknownSync(Schema.fromJsonString(ChatBody))

interface CountingModel {
  readonly url: string
  /** The messages of every request, in the order they arrived. */
  readonly asked: Array<string>
  /** Answers the requests held back so far and every later one at once. */
  readonly release: () => void
  readonly close: () => Promise<void>
}

/**
 * An OpenAI-compatible model on loopback: the first request is answered at once, later ones are
 * held until `release` — so a worker can be killed while it waits on the model, after an answer.
 */
const serveCountingModel = (text: string): Promise<CountingModel> =>
  new Promise((resolve) => {
    const asked: Array<string> = []
    let released = false
    const held: Array<() => void> = []
    const server = http.createServer((request, response) => {
      let body = ""
      request.setEncoding("utf8")
      request.on("data", (chunk: string) => {
        body += chunk
      })
      request.on("end", () => {
        const parsed = decodeBody(body)
        asked.push(messagesOf(parsed.messages))
        const answer = () => {
          if (response.destroyed) return
          const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 }
          if (parsed.stream === true) {
            const chunk = (choices: ReadonlyArray<unknown>, extra: object = {}) =>
              `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 0, model: "m", choices, ...extra })}\n\n`
            response.writeHead(200, { "content-type": "text/event-stream" })
            response.write(chunk([{ index: 0, delta: { role: "assistant", content: text }, finish_reason: null }]))
            response.write(chunk([{ index: 0, delta: {}, finish_reason: "stop" }]))
            response.write(chunk([], { usage }))
            response.end("data: [DONE]\n\n")
            return
          }
          response.writeHead(200, { "content-type": "application/json" })
          response.end(
            JSON.stringify({
              id: "c",
              object: "chat.completion",
              created: 0,
              model: "m",
              choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
              usage
            })
          )
        }
        if (asked.length === 1 || released) answer()
        else held.push(answer)
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/v1`,
        asked,
        release: () => {
          released = true
          for (const answer of held.splice(0)) answer()
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })

const decodeRequest = Schema.decodeUnknownSync(Schema.fromJsonString(CodeGenerationRequest))

/** The demo's pricing request (templates and the model) on the repository at `dir`. */
const pricingJob = (requestId: string, dir: string, baseUrl: string) =>
  new GenerationJob({
    requestId,
    repository: new JobRepository({ url: dir, baseRef: "main" }),
    request: decodeRequest(
      fs.readFileSync(path.join(project, "examples", "demo", "requests", "02-pricing.json"), "utf8")
    ),
    options: new JobOptions({ provider: "openai-compatible", baseUrl, runTests: false })
  })

/** Resolves once `check` holds, looking every 100 ms. */
const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 90_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe.skipIf(!installed)("a job's model answers in Postgres", () => {
  let postgres: LocalPostgres
  let client: ManagedRuntime.ManagedRuntime<ClusterClient, unknown>
  let model: CountingModel
  let scratch: string
  const workers: Array<Worker> = []
  const run = <A>(effect: Effect.Effect<A, unknown, ClusterClient | SqlClient.SqlClient>) => client.runPromise(effect)

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-answers-test-"))
    postgres = await startPostgres()
    model = await serveCountingModel("```ts\nexport const answered = true\n```\n")
    client = ManagedRuntime.make(clientLayer(postgres.url))
    await run(Effect.void)
  }, 120_000)

  afterAll(async () => {
    for (const worker of workers) worker.process.kill("SIGKILL")
    await model?.close()
    await client?.dispose()
    await postgres?.stop()
    fs.rmSync(scratch, { recursive: true, force: true })
  }, 60_000)

  it("resumes a job whose worker was killed after the model answered without asking that again", async () => {
    const first = await startWorker(postgres.url, { concurrency: 1, env: { TMPDIR: scratch } })
    workers.push(first)
    const dir = path.join(scratch, "repo")
    makeRepository(dir)
    const job = pricingJob("answers-1", dir, model.url)
    await run(ClusterJobs.submit(job))

    // The first answer is recorded; the worker now waits on the model for the next one.
    await until("an answer recorded and a second request held", async () => {
      const recorded = await run(recordedEntries(job.requestId))
      return recorded.length >= 1 && model.asked.length >= 2
    })
    const before = await run(recordedEntries(job.requestId))
    first.process.kill("SIGKILL")
    await first.exited
    const askedBeforeKill = model.asked.length
    model.release()

    workers.push(await startWorker(postgres.url, { concurrency: 1, env: { TMPDIR: scratch } }))
    const result = await run(ClusterJobs.awaitResult(job.requestId))
    expect(result.status).toBe("success")

    // Every answer recorded before the kill was asked for once, by the killed worker.
    expect(before.length).toBeGreaterThan(0)
    for (const entry of before) {
      const seen = messagesOf(entry.request.messages)
      expect(model.asked.filter((asked) => asked === seen)).toHaveLength(1)
    }
    // The resumed run asked only for what it lacked: the request cut by the kill, and any after it.
    const resumed = model.asked.slice(askedBeforeKill)
    const recordedBefore = new Set(before.map((entry) => messagesOf(entry.request.messages)))
    expect(resumed.filter((asked) => recordedBefore.has(asked))).toEqual([])
    expect(resumed.length).toBeGreaterThan(0)
    // And the whole job's exchanges are recorded now.
    const after = await run(recordedEntries(job.requestId))
    expect(after.length).toBeGreaterThan(before.length)
  }, 240_000)
})
