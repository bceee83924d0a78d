/**
 * PeerWatch: every worker looks at the other runners four times a second and reports one whose port
 * refuses connections as unhealthy, as the engine's own health check would. The engine runs that
 * check on one runner only; when the killed worker was that runner, nobody noticed the death until
 * its shard locks expired (9 s). A refused connection is the one sure sign (nothing listens there
 * any more): a slow or unreachable runner is left to the engine's timings.
 */
import * as net from "node:net"
import { Duration, Effect, Layer, Schedule } from "effect"
import { SqlClient } from "effect/sql"

/**
 * How often the other runners are looked at (a query and a connection attempt per peer, both on
 * loopback or the local network); a death is confirmed by a second look this much later.
 */
export const peerWatchInterval = Duration.millis(250)
const confirmAfter = Duration.millis(100)

/** Whether a connection to `address` (`host:port`) is refused (a timeout or anything else is not). */
export const refuses = (address: string): Effect.Effect<boolean> => {
  const colon = address.lastIndexOf(":")
  const host = address.slice(0, colon).replace(/^\[|\]$/g, "")
  const port = Number(address.slice(colon + 1))
  if (colon < 1 || !Number.isInteger(port) || port < 1 || port > 65535) return Effect.succeed(false)
  return Effect.callback<boolean>((resume) => {
    const socket = net.connect({ host, port })
    const done = (refused: boolean) => {
      socket.destroy()
      resume(Effect.succeed(refused))
    }
    socket.setTimeout(1000, () => done(false))
    socket.once("connect", () => done(false))
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code === "ECONNREFUSED"))
    return Effect.sync(() => socket.destroy())
  })
}

/** Watches the runners other than `self` (this worker's `host:port`) in the engine's runners table. */
export const peerWatchLayer = (self: string) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const markDead = (address: string) =>
        Effect.gen(function* () {
          if (!(yield* refuses(address))) return
          yield* Effect.sleep(confirmAfter)
          if (!(yield* refuses(address))) return
          // What the engine's health check writes; the engine moves the runner's shards on its next read.
          yield* sql`UPDATE cluster_runners SET healthy = FALSE WHERE address = ${address} AND healthy`
          yield* Effect.logInfo(`runner ${address} refuses connections: reported unhealthy`)
        })
      const look = Effect.gen(function* () {
        const others = yield* sql<{
          readonly address: string
        }>`SELECT address FROM cluster_runners WHERE healthy AND address <> ${self}`
        yield* Effect.forEach(others, ({ address }) => markDead(address), { concurrency: "unbounded", discard: true })
      })
      yield* look.pipe(
        // The engine's table may not exist yet on a fresh database; the next look finds it.
        Effect.catchCause((cause) => Effect.logDebug("peer watch: could not look", cause)),
        Effect.repeat(Schedule.spaced(peerWatchInterval)),
        Effect.forkScoped
      )
    })
  )
