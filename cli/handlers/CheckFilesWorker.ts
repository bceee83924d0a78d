/**
 * Worker thread entry of `validate`: checks its share of the files and posts the reports.
 */
import { parentPort, workerData } from "node:worker_threads"
import { Effect, Schema } from "effect"
import { workerMain } from "./CheckFiles.ts"

const Input = Schema.Struct({ files: Schema.Array(Schema.String), language: Schema.optional(Schema.String) })
const input = Schema.decodeUnknownSync(Input)(workerData)
parentPort?.postMessage(await Effect.runPromise(workerMain(input.files, input.language)))
