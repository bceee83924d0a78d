/**
 * A scripted model on 127.0.0.1 that speaks OpenAI's Chat Completions (JSON, and SSE when the
 * request asks to stream): point `--provider openai-compatible` at it to see the pipeline work
 * with a model, offline and repeatably. Each request takes the first unused entry of the script
 * whose `when` appears in the request's messages (an entry without `when` matches any request);
 * a request that no entry matches gets a 500, as a broken server would answer.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export interface ScriptEntry {
  /** Text the request's messages must contain for this entry to answer it. */
  readonly when?: string
  /** The answer's text. */
  readonly text: string
  /** `length`: the answer stopped at the token limit, cut off as a real model's would be. */
  readonly finish?: "stop" | "length"
}

export interface ScriptedModel {
  /** The base URL to give the provider, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string
  /** Every request's messages, in the order they came. */
  readonly requests: ReadonlyArray<ReadonlyArray<{ readonly role: string; readonly content: string }>>
  readonly close: () => Promise<void>
}

interface ChatRequest {
  readonly stream?: boolean
  readonly messages?: ReadonlyArray<{ readonly role: string; readonly content: unknown }>
}

const textOf = (content: unknown): string =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content
          .map((part) => (typeof part === "object" && part !== null && "text" in part ? String(part.text) : ""))
          .join("")
      : ""

const completion = (text: string, finish: string) => ({
  id: "chatcmpl-scripted",
  object: "chat.completion",
  created: 0,
  model: "scripted",
  choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: finish }],
  usage: { prompt_tokens: 100, completion_tokens: Math.ceil(text.length / 4), total_tokens: 0 }
})

/** The SSE frames of a streamed answer, cut into a few deltas as a real server sends them. */
const frames = (text: string, finish: string): ReadonlyArray<string> => {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id: "chatcmpl-scripted",
      object: "chat.completion.chunk",
      created: 0,
      model: "scripted",
      choices: [{ index: 0, delta, finish_reason: finish }]
    })}\n\n`
  const size = Math.max(1, Math.ceil(text.length / 4))
  const parts: Array<string> = []
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size))
  return [
    chunk({ role: "assistant", content: "" }, null),
    ...parts.map((part) => chunk({ content: part }, null)),
    chunk({}, finish),
    `data: ${JSON.stringify({ id: "chatcmpl-scripted", object: "chat.completion.chunk", created: 0, model: "scripted", choices: [], usage: { prompt_tokens: 100, completion_tokens: Math.ceil(text.length / 4), total_tokens: 0 } })}\n\n`,
    "data: [DONE]\n\n"
  ]
}

/** Answers with `text`: SSE frames when the request asked to stream, else one JSON body. */
export const writeAnswer = (
  res: http.ServerResponse,
  answer: { readonly stream: boolean; readonly text: string; readonly finish: string }
): void => {
  if (answer.stream) {
    res.writeHead(200, { "content-type": "text/event-stream" })
    for (const frame of frames(answer.text, answer.finish)) res.write(frame)
    res.end()
    return
  }
  res.writeHead(200, { "content-type": "application/json" })
  res.end(JSON.stringify(completion(answer.text, answer.finish)))
}

/** Starts the server on a free port of 127.0.0.1. */
export const serveScript = async (script: ReadonlyArray<ScriptEntry>): Promise<ScriptedModel> => {
  const used = new Set<number>()
  const requests: Array<ReadonlyArray<{ readonly role: string; readonly content: string }>> = []
  const server = http.createServer((req, res) => {
    let body = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => {
      body += chunk
    })
    req.on("end", () => {
      let parsed: ChatRequest
      try {
        parsed = JSON.parse(body) as ChatRequest
      } catch {
        res.writeHead(400, { "content-type": "application/json" })
        res.end(JSON.stringify({ error: { message: "the body is not JSON", type: "invalid_request_error" } }))
        return
      }
      const messages = (parsed.messages ?? []).map((m) => ({ role: m.role, content: textOf(m.content) }))
      requests.push(messages)
      const all = messages.map((m) => m.content).join("\n")
      const index = script.findIndex(
        (entry, i) => !used.has(i) && (entry.when === undefined || all.includes(entry.when))
      )
      const entry = script[index]
      if (entry === undefined) {
        res.writeHead(500, { "content-type": "application/json" })
        res.end(
          JSON.stringify({ error: { message: "the script has no answer for this request", type: "server_error" } })
        )
        return
      }
      used.add(index)
      writeAnswer(res, { stream: parsed.stream === true, text: entry.text, finish: entry.finish ?? "stop" })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
