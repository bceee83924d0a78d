/**
 * A scripted HTTP server on 127.0.0.1 (random port) for the provider tests: it answers each
 * request with the next scripted reply (JSON, SSE, an error, a delay, a cut connection) and
 * records what it received. Closed, with its connections, when the test's scope closes.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"

export interface Reply {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  /** A JSON body (serialized) … */
  readonly json?: unknown
  /** … or a raw body (malformed JSON) … */
  readonly body?: string
  /** … or SSE frames, written one by one. */
  readonly sse?: ReadonlyArray<string>
  /** Cut the connection after the SSE frames instead of ending the response. */
  readonly cut?: boolean
  /** Wait this long before answering. */
  readonly delayMs?: number
}

export interface Seen {
  readonly method: string
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: unknown
  /** `Date.now()` when the request arrived. */
  readonly at: number
}

export interface FakeServer {
  readonly baseUrl: string
  readonly requests: ReadonlyArray<Seen>
}

/** One SSE frame. */
export const sse = (data: unknown, event?: string): string =>
  `${event === undefined ? "" : `event: ${event}\n`}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const fakeServer = (replies: ReadonlyArray<Reply>) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly server: http.Server; readonly state: FakeServer; readonly timers: Set<NodeJS.Timeout> }>(
      (resume) => {
        const requests: Array<Seen> = []
        const timers = new Set<NodeJS.Timeout>()
        let next = 0
        const answer = (reply: Reply, res: http.ServerResponse) => {
          const status = reply.status ?? 200
          if (reply.sse !== undefined) {
            res.writeHead(status, { "content-type": "text/event-stream", ...reply.headers })
            for (const frame of reply.sse) res.write(frame)
            if (reply.cut === true) res.socket?.destroy()
            else res.end()
            return
          }
          const body = reply.body ?? (reply.json === undefined ? "" : JSON.stringify(reply.json))
          res.writeHead(status, { "content-type": "application/json", ...reply.headers })
          res.end(body)
        }
        const server = http.createServer((req, res) => {
          const chunks: Array<Buffer> = []
          req.on("data", (chunk: Buffer) => chunks.push(chunk))
          req.on("end", () => {
            requests.push({
              method: req.method ?? "",
              path: req.url ?? "",
              headers: req.headers,
              body: parse(Buffer.concat(chunks).toString("utf8")),
              at: Date.now()
            })
            const reply = replies[next] ?? { status: 500, json: { error: { message: "no more scripted replies" } } }
            next++
            if (reply.delayMs === undefined) return answer(reply, res)
            const timer = setTimeout(() => {
              timers.delete(timer)
              if (!res.destroyed) answer(reply, res)
            }, reply.delayMs)
            timers.add(timer)
          })
        })
        server.listen(0, "127.0.0.1", () => {
          const { port } = server.address() as AddressInfo
          resume(Effect.succeed({ server, state: { baseUrl: `http://127.0.0.1:${port}`, requests }, timers }))
        })
      }
    ),
    ({ server, timers }) =>
      Effect.callback<void>((resume) => {
        for (const timer of timers) clearTimeout(timer)
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))
