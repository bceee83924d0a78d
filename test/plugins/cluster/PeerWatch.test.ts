/**
 * A worker reports a runner dead only when its port refuses connections: a listening runner, or
 * an address that is not one, is never reported.
 */
import * as net from "node:net"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { refuses } from "../../../plugins/cluster/PeerWatch.ts"

const listening = () =>
  new Promise<net.Server>((resolve) => {
    const server = net.createServer((socket) => socket.destroy())
    server.listen(0, "127.0.0.1", () => resolve(server))
  })
const portOf = (server: net.Server) => {
  const address = server.address()
  return typeof address === "object" && address !== null ? address.port : 0
}
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()))

describe("a runner's death as a worker sees it", () => {
  it("is a refused connection, and only that", async () => {
    const server = await listening()
    const port = portOf(server)
    expect(await Effect.runPromise(refuses(`127.0.0.1:${port}`))).toBe(false)
    await close(server)
    expect(await Effect.runPromise(refuses(`127.0.0.1:${port}`))).toBe(true)
  })

  it("is never read from an address that names no port", async () => {
    for (const address of ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", ":80", "host:port"]) {
      expect(await Effect.runPromise(refuses(address))).toBe(false)
    }
  })
})
