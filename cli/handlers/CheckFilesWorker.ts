/**
 * Worker thread entry of `validate` and `format`: checks or formats its share of the files and
 * posts the encoded outcomes.
 */
import module from "node:module"
import { parentPort, workerData } from "node:worker_threads"

// Workers do not inherit the parent's compile cache: enable it before loading anything else.
module.enableCompileCache?.()

const { Effect, Schema } = await import("effect")
const { WorkerInput, workerMain } = await import("./CheckFiles.ts")

const input = Schema.decodeUnknownSync(WorkerInput)(workerData)
parentPort?.postMessage(await Effect.runPromise(workerMain(input)))
