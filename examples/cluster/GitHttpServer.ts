/**
 * GitHttpServer: a smart-HTTP git server on loopback — git's own `git http-backend` behind a
 * small Node server — so the demo's workers clone and push over HTTP as they would against a
 * real forge. Serves the bare repositories under one folder, pushes allowed.
 */
import { spawn } from "node:child_process"
import * as http from "node:http"

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  readonly stop: () => Promise<void>
}

/** Serves the repositories under `root` (e.g. `root/demo.git` at `URL/demo.git`). */
export const startGitHttpServer = (root: string): Promise<GitHttpServer> =>
  new Promise((resolve, reject) => {
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1")
      const backend = spawn("git", ["http-backend"], {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          GIT_PROJECT_ROOT: root,
          GIT_HTTP_EXPORT_ALL: "1",
          // Pushes are refused to anonymous users unless a user is named.
          REMOTE_USER: "tamma",
          REQUEST_METHOD: request.method ?? "GET",
          PATH_INFO: decodeURIComponent(url.pathname),
          QUERY_STRING: url.search.slice(1),
          CONTENT_TYPE: request.headers["content-type"] ?? "",
          ...(request.headers["content-encoding"] === undefined
            ? {}
            : { HTTP_CONTENT_ENCODING: String(request.headers["content-encoding"]) }),
          ...(request.headers["git-protocol"] === undefined
            ? {}
            : { GIT_PROTOCOL: String(request.headers["git-protocol"]) })
        }
      })
      request.pipe(backend.stdin)
      // CGI: headers, a blank line, then the body.
      let head = Buffer.alloc(0)
      let headersDone = false
      backend.stdout.on("data", (chunk: Buffer) => {
        if (headersDone) {
          response.write(chunk)
          return
        }
        head = Buffer.concat([head, chunk])
        // git ends CGI header lines with LF alone; CRLF is accepted too.
        const crlf = head.indexOf("\r\n\r\n")
        const lf = head.indexOf("\n\n")
        const [end, gap] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2]
        if (end < 0) return
        headersDone = true
        let status = 200
        for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
          const colon = line.indexOf(":")
          const name = line.slice(0, colon).trim()
          const value = line.slice(colon + 1).trim()
          if (name.toLowerCase() === "status") status = Number.parseInt(value, 10)
          else response.setHeader(name, value)
        }
        response.writeHead(status)
        response.write(head.subarray(end + gap))
      })
      backend.on("close", () => {
        if (!headersDone) response.writeHead(500)
        response.end()
      })
    })
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () => new Promise<void>((done) => server.close(() => done()))
      })
    })
  })
