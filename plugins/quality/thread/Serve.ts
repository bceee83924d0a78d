/**
 * The worker's side of a tool thread (see ToolThread.ts): answers each request with the handler's
 * result or its failure's message. Requests come only from ToolThread.ts, which decodes the answers.
 * Imports next to nothing, so that a worker loads only what its tool needs.
 */
import { parentPort } from "node:worker_threads"
import { causeOf } from "../Loading.ts"

export const serve = <Request>(handle: (request: Request) => unknown): void => {
  const port = parentPort
  if (port === null) return
  port.on("message", (message: { readonly id: number; readonly request: Request }) => {
    Promise.resolve()
      .then(() => handle(message.request))
      .then(
        (result) => port.postMessage({ id: message.id, result }),
        (error: unknown) => port.postMessage({ id: message.id, error: causeOf(error) })
      )
  })
}
