/**
 * A warm tsc: started confined (see WarmTsc.ts) with the jobs' root as its one argument, it keeps
 * this package's TypeScript loaded and the lib files parsed, and answers one request a line on
 * stdin, in order. Never a workspace's own TypeScript: that one runs only as a job's own process.
 */
import { createInterface } from "node:readline"
import { Schema } from "effect"
import ts from "typescript"
import { makeWarmTsc } from "./WarmTscProgram.ts"
import { WarmTscReply, WarmTscRequest } from "./WarmTscProtocol.ts"

const decodeRequest = Schema.decodeUnknownSync(Schema.fromJsonString(WarmTscRequest))
const encodeReply = Schema.encodeSync(Schema.fromJsonString(WarmTscReply))

/** As the cold path keeps a compiler's output: its last 256 KiB say the most. */
const outputCap = 256 * 1024

const root = process.argv[2]
if (root === undefined) {
  process.stderr.write("usage: WarmTscServer ROOT\n")
  process.exit(2)
}
const warm = makeWarmTsc(ts, root)

for await (const line of createInterface({ input: process.stdin })) {
  // A line that does not decode ends the server: its host alone writes here, so it is a bug.
  const request = decodeRequest(line)
  let reply: WarmTscReply
  try {
    const answer = warm.run(request.folder, request.args)
    reply =
      answer._tag === "Checked"
        ? { id: request.id, ...answer, output: answer.output.slice(-outputCap) }
        : { id: request.id, ...answer }
  } catch (error) {
    // TypeScript threw (a bug of its own): the host runs the real tsc, which says it as tsc would.
    reply = { id: request.id, _tag: "Fallback", reason: `tsc threw: ${String(error)}` }
  }
  process.stdout.write(`${encodeReply(reply)}\n`)
}
