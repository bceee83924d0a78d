/**
 * An HTTP server on 127.0.0.1 that answers every request with a body that never ends: a head,
 * then the same piece over and over, as fast as the client reads, until the client hangs up
 * (or a safety bound is reached, so a broken client cannot keep the test running forever). It
 * counts requests and the bytes it wrote, and knows when the client dropped the connection.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"

export interface EndlessReply {
  readonly contentType: string
  readonly head: string
  readonly piece: string
  /** Sent as `content-length` (a lie: the body ends only when the bound is reached). */
  readonly declaredLength?: number
  /** 200 unless given: an error answer's body may be endless too. */
  readonly status?: number
}

export interface EndlessServer {
  readonly baseUrl: string
  readonly stats: {
    requests: number
    bytesWritten: number
    /** `Date.now()` when the client dropped its connection, once it has. */
    closedAt: number | undefined
  }
}

/** The server stops writing here: far more than any limit under test. */
const safetyBound = 256 * 1024 * 1024

export const endlessServer = (reply: EndlessReply) =>
  Effect.acquireRelease(
    Effect.callback<{ readonly server: http.Server; readonly state: EndlessServer }>((resume) => {
      const stats: EndlessServer["stats"] = { requests: 0, bytesWritten: 0, closedAt: undefined }
      const server = http.createServer((req, res) => {
        req.resume()
        req.on("end", () => {
          stats.requests++
          res.writeHead(reply.status ?? 200, {
            "content-type": reply.contentType,
            ...(reply.declaredLength === undefined ? {} : { "content-length": String(reply.declaredLength) })
          })
          res.on("close", () => {
            stats.closedAt ??= Date.now()
          })
          const piece = Buffer.from(reply.piece)
          const pump = () => {
            while (!res.destroyed && stats.bytesWritten < safetyBound) {
              stats.bytesWritten += piece.byteLength
              if (!res.write(piece)) return void res.once("drain", pump)
            }
            if (!res.destroyed) res.destroy()
          }
          stats.bytesWritten += Buffer.byteLength(reply.head)
          res.write(reply.head)
          pump()
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, state: { baseUrl: `http://127.0.0.1:${port}`, stats } }))
      })
    }),
    ({ server }) =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))
