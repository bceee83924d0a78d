/**
 * What a compile or type check of a change found: the pack's compiler run on the sandboxed
 * change, its diagnostics with file and line.
 */
import { Schema } from "effect"

/** One compiler or type-checker diagnostic. */
export class CompileDiagnostic extends Schema.Class<CompileDiagnostic>("@tamma/codegen/CompileDiagnostic")({
  file: Schema.optional(Schema.String),
  line: Schema.optional(Schema.Int),
  column: Schema.optional(Schema.Int),
  message: Schema.String
}) {}

/** `skipped`: nothing was checked (no compiler installed, no file of the language), and nothing is claimed. */
export const CompileStatus = Schema.Literals(["passed", "failed", "timeout", "skipped"])
export type CompileStatus = typeof CompileStatus.Type

export class CompileReport extends Schema.Class<CompileReport>("@tamma/codegen/CompileReport")({
  tool: Schema.String,
  status: CompileStatus,
  diagnostics: Schema.Array(CompileDiagnostic),
  command: Schema.String,
  /** The end of the compiler's output, for a report that has no diagnostics to show. */
  output: Schema.String,
  durationMs: Schema.Number
}) {}

/** `src/a.ts:3:7 message`: how a diagnostic is shown to people and to the model. */
export const describeDiagnostic = (d: CompileDiagnostic): string =>
  `${d.file ?? "?"}${d.line === undefined ? "" : `:${d.line}`}${d.column === undefined ? "" : `:${d.column}`} ${d.message}`
