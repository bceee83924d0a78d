/**
 * A quality tool in a worker thread of its own. The tools of a check are synchronous code (ESLint's
 * JavaScript, Biome's wasm): on the caller's thread they run one after the other, each in a thread
 * of its own they run side by side on the machine's cores, and the caller's thread stays free for
 * the pipeline and its progress. The thread starts on the first request and keeps the process
 * alive only while requests are pending. A thread that fails is forgotten with every request it
 * owed; the next request starts another. A request given up by its caller (its `AbortSignal`, as
 * `Effect.tryPromise` passes on interruption) is dropped, and a thread left working only for
 * requests nobody waits for any more is terminated: a check interrupted by Ctrl-C does not leave
 * a tool running on the machine's cores. The worker's side is `Serve.ts`.
 */
import * as nodePath from "node:path"
import { fileURLToPath } from "node:url"
import { Worker } from "node:worker_threads"
import { Schema } from "effect"

/** What a worker posts back for request `id`: the tool's result, or why it failed. */
const Answer = Schema.Union([
  Schema.Struct({ id: Schema.Number, error: Schema.String }),
  Schema.Struct({ id: Schema.Number, result: Schema.Unknown })
])
const decodeAnswer = Schema.decodeUnknownOption(Answer)

/**
 * The worker entry `name` beside the module at `moduleUrl`, with that module's extension: `.ts`
 * in the sources, `.js` when built.
 */
export const entryBeside = (moduleUrl: string, name: string): URL =>
  new URL(`./${name}${nodePath.extname(fileURLToPath(moduleUrl))}`, moduleUrl)

export interface ToolThread<Request, A> {
  /**
   * The tool's answer to `request`; rejects with the tool's message when it fails, and at once
   * when `signal` aborts.
   */
  readonly request: (request: Request, signal?: AbortSignal) => Promise<A>
  /** Ends the thread now, failing what it owed; the next request starts another. */
  readonly terminate: () => Promise<void>
}

interface Running {
  readonly worker: Worker
  readonly pending: Map<number, (answer: { readonly result: unknown } | Error) => void>
}

/** The thread running `entry`, whose results decode with `result`; `name` is for messages. */
export const make = <Request, A>(options: {
  readonly name: string
  readonly entry: URL
  readonly result: Schema.Decoder<A>
}): ToolThread<Request, A> => {
  const decodeResult = Schema.decodeUnknownOption(options.result)
  let current: Running | undefined
  let nextId = 0

  const start = (): Running => {
    const worker = new Worker(options.entry)
    worker.unref()
    const running: Running = { worker, pending: new Map() }
    const fail = (error: Error) => {
      if (current === running) current = undefined
      const owed = [...running.pending.values()]
      running.pending.clear()
      for (const settle of owed) settle(error)
    }
    worker.on("message", (message: unknown) => {
      const answer = decodeAnswer(message)
      if (answer._tag === "None") {
        fail(new Error(`the ${options.name} thread sent an answer that does not decode`))
        void worker.terminate()
        return
      }
      const settle = running.pending.get(answer.value.id)
      running.pending.delete(answer.value.id)
      if (running.pending.size === 0) worker.unref()
      settle?.("error" in answer.value ? new Error(answer.value.error) : { result: answer.value.result })
    })
    worker.on("error", fail)
    worker.on("exit", (code) => fail(new Error(`the ${options.name} thread exited with code ${code}`)))
    return running
  }

  const request = (payload: Request, signal?: AbortSignal): Promise<A> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted === true) return reject(new Error(`the ${options.name} request was abandoned`))
      current ??= start()
      const running = current
      const id = nextId++
      const onAbort = () => {
        if (!running.pending.delete(id)) return
        reject(new Error(`the ${options.name} request was abandoned`))
        // The thread is still busy with this request (requests run one at a time): with nobody
        // else waiting on it, that work is wasted, so it stops here.
        if (running.pending.size === 0) void stop(running)
      }
      running.pending.set(id, (answer) => {
        signal?.removeEventListener("abort", onAbort)
        if (answer instanceof Error) return reject(answer)
        const result = decodeResult(answer.result)
        if (result._tag === "Some") resolve(result.value)
        else reject(new Error(`the ${options.name} thread sent a result that does not decode`))
      })
      signal?.addEventListener("abort", onAbort, { once: true })
      if (running.pending.size === 1) running.worker.ref()
      running.worker.postMessage({ id, request: payload })
    })

  const stop = async (running: Running): Promise<void> => {
    if (current === running) current = undefined
    await running.worker.terminate()
  }

  const terminate = (): Promise<void> => (current === undefined ? Promise.resolve() : stop(current))

  return { request, terminate }
}
