/**
 * A loopback OpenAI-compatible model that counts the requests it gets and would answer each with
 * a harmless file: what shows that a run refused up front paid for no call.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { openAiCompletion } from "../../plugins/ai/Wire.ts"

export const countingModel = async (onCleanup: (close: () => void) => void) => {
  let requests = 0
  const server = http.createServer((req, res) => {
    req.resume()
    req.on("end", () => {
      requests += 1
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(openAiCompletion("```ts src/pricing.ts\nexport const x = 1\n```")))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  onCleanup(() => server.close())
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests: () => requests }
}
