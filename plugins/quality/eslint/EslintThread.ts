/**
 * ESLint in a thread of its own. ESLint is synchronous JavaScript: in the caller's thread it would
 * run one after the other with the other tools of a check (Biome's wasm, secretlint); in its own
 * thread it runs beside them, on another core. The thread starts on the first request, loads
 * ESLint once, and keeps the process alive only while requests are pending.
 */
import * as nodePath from "node:path"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import { Schema } from "effect"

/** The fields of an ESLint message that the tool reports. */
export const LintMessage = Schema.Struct({
  ruleId: Schema.NullOr(Schema.String),
  severity: Schema.Number,
  message: Schema.String,
  line: Schema.optional(Schema.Number),
  column: Schema.optional(Schema.Number),
  fatal: Schema.optional(Schema.Boolean)
})
export type LintMessage = typeof LintMessage.Type

const Answer = Schema.Union([
  Schema.Struct({ id: Schema.Number, messages: Schema.Array(LintMessage) }),
  Schema.Struct({ id: Schema.Number, error: Schema.String })
])
const decodeAnswer = Schema.decodeUnknownOption(Answer)

type Settle = (answer: typeof Answer.Type | Error) => void

interface Thread {
  readonly worker: Worker
  readonly pending: Map<number, Settle>
}

// The entry beside this module, with this module's extension: `.ts` in the sources, `.js` when built.
const entry = new URL(`./EslintWorker${nodePath.extname(fileURLToPath(import.meta.url))}`, import.meta.url)

let current: Thread | undefined
let nextId = 0

const start = (): Thread => {
  const worker = new Worker(entry)
  worker.unref()
  const thread: Thread = { worker, pending: new Map() }
  // A thread that fails is forgotten with everything it owed; the next request starts another.
  const fail = (error: Error) => {
    if (current === thread) current = undefined
    const owed = [...thread.pending.values()]
    thread.pending.clear()
    for (const settle of owed) settle(error)
  }
  worker.on("message", (message: unknown) => {
    const answer = decodeAnswer(message)
    if (answer._tag === "None") {
      fail(new Error("the ESLint thread sent an answer that does not decode"))
      void worker.terminate()
      return
    }
    const settle = thread.pending.get(answer.value.id)
    thread.pending.delete(answer.value.id)
    if (thread.pending.size === 0) worker.unref()
    settle?.(answer.value)
  })
  worker.on("error", fail)
  worker.on("exit", (code) => fail(new Error(`the ESLint thread exited with code ${code}`)))
  return thread
}

/** ESLint's messages for `code` linted as the virtual file `path`. */
export const lint = (code: string, path: string): Promise<ReadonlyArray<LintMessage>> =>
  new Promise((resolve, reject) => {
    current ??= start()
    const thread = current
    const id = nextId++
    thread.pending.set(id, (answer) => {
      if (answer instanceof Error) reject(answer)
      else if ("error" in answer) reject(new Error(answer.error))
      else resolve(answer.messages)
    })
    if (thread.pending.size === 1) thread.worker.ref()
    thread.worker.postMessage({ id, code, path })
  })
