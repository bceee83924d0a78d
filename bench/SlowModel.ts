/**
 * A model server on 127.0.0.1 that speaks OpenAI's Chat Completions and answers every request
 * after a fixed delay (as JSON, or SSE when asked to stream), as a remote model would, with the first answer whose `when` the request
 * contains (answers are reused: every job asks the same). For the cluster benchmark, where the
 * model's latency is what workers overlap.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { writeAnswer } from "../examples/scripted-model/ScriptedModel.ts"

export interface Answer {
  /** Text the request must contain ("" matches any). */
  readonly when: string
  readonly text: string
}

export interface SlowModel {
  /** The base URL for `--base-url`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string
  readonly calls: () => number
  readonly close: () => Promise<void>
}

export const serveSlowModel = (delayMs: number, answers: ReadonlyArray<Answer>): Promise<SlowModel> =>
  new Promise((resolve) => {
    let calls = 0
    const server = http.createServer((request, response) => {
      let body = ""
      request.setEncoding("utf8")
      request.on("data", (chunk: string) => {
        body += chunk
      })
      request.on("end", () => {
        calls += 1
        const text = answers.find((answer) => body.includes(answer.when))?.text ?? ""
        // Streamed or not as the request asks, like the scripted model the examples use.
        setTimeout(
          () => writeAnswer(response, { stream: /"stream"\s*:\s*true/.test(body), text, finish: "stop" }),
          delayMs
        )
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/v1`,
        calls: () => calls,
        close: () => new Promise<void>((done) => server.close(() => done()))
      })
    })
  })
