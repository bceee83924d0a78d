/**
 * Worker thread entry of `validate`: checks its share of the files and posts the encoded reports.
 */
import module from "node:module"
import { parentPort, workerData } from "node:worker_threads"

// Workers do not inherit the parent's compile cache: enable it before loading anything else.
module.enableCompileCache?.()

const { Effect, Schema } = await import("effect")
const { workerMain } = await import("./CheckFiles.ts")

const Input = Schema.Struct({ files: Schema.Array(Schema.String), language: Schema.optional(Schema.String) })
const input = Schema.decodeUnknownSync(Input)(workerData)
parentPort?.postMessage(await Effect.runPromise(workerMain(input.files, input.language)))
