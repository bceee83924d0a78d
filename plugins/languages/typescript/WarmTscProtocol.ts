/**
 * The lines a warm tsc server (WarmTscServer.ts) reads and writes, one JSON object a line: a job's
 * folder and tsc's arguments in, tsc's output and exit code (or why to run a real tsc) out.
 */
import { Schema } from "effect"

export const WarmTscRequest = Schema.Struct({
  id: Schema.Number,
  /** The job's folder: a direct child of the server's root. */
  folder: Schema.String,
  /** tsc's arguments, after the tsc script. */
  args: Schema.Array(Schema.String)
})
export type WarmTscRequest = typeof WarmTscRequest.Type

export const WarmTscReply = Schema.Union([
  Schema.Struct({ id: Schema.Number, _tag: Schema.Literal("Checked"), exitCode: Schema.Number, output: Schema.String }),
  Schema.Struct({ id: Schema.Number, _tag: Schema.Literal("Fallback"), reason: Schema.String })
])
export type WarmTscReply = typeof WarmTscReply.Type
