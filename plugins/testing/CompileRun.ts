import * as path from "node:path"
import { Clock, Effect, Option } from "effect"
import { CompileDiagnostic, CompileReport } from "../../core/domain/CompileReport.ts"
import type { CompileCheck } from "../../core/services/LanguageRegistry.ts"
import type { CompileServer } from "./CompileServer.ts"
import { confinedScratch, type Isolation, runConfined } from "./Confinement.ts"
import { findExecutable } from "./Executables.ts"

export interface CompileRunInput {
  readonly check: CompileCheck
  readonly sandbox: string
  /** The change's files of the language, workspace-relative. */
  readonly files: ReadonlyArray<string>
  readonly timeoutMs: number
  readonly isolation: Isolation
  /** A compiler kept warm: it answers the commands it serves, confined; the others run as ever. */
  readonly server?: CompileServer["Service"] | undefined
}

/** Whether `command` can be started: an absolute path that is executable, or a name found on PATH. */
const installed = (command: string): boolean =>
  path.isAbsolute(command)
    ? findExecutable(path.basename(command), path.dirname(command)) !== undefined
    : findExecutable(command) !== undefined

/**
 * A path the compiler printed, made relative to the sandbox (and so to the workspace); one outside
 * it, absolute: relative to a sandbox, it would say where the sandbox happened to be made.
 */
const relative = (sandbox: string, file: string | undefined): string | undefined => {
  if (file === undefined) return undefined
  const absolute = path.resolve(sandbox, file)
  const inside = path.relative(sandbox, absolute)
  return inside.startsWith("..") ? absolute : inside.split(path.sep).join("/")
}

const tail = (text: string, lines: number) => text.trimEnd().split("\n").slice(-lines).join("\n")

export const runCompileCheck = Effect.fn("runCompileCheck")(function* (input: CompileRunInput) {
  const { check, sandbox } = input
  const started = yield* Clock.currentTimeMillis
  const report = (fields: Pick<CompileReport, "status" | "diagnostics" | "command" | "output">) =>
    Effect.map(
      Clock.currentTimeMillis,
      (now) => new CompileReport({ tool: check.name, durationMs: now - started, ...fields })
    )
  const commands = check.commands({ workspace: sandbox, files: input.files })
  if (commands.length === 0) {
    return yield* report({ status: "skipped", diagnostics: [], command: "", output: "nothing to compile here" })
  }
  const commandLine = commands.map((c) => [c.command, ...c.args].join(" ")).join(" && ")
  const missing = commands.find((c) => !installed(c.command))
  if (missing !== undefined) {
    return yield* report({
      status: "skipped",
      diagnostics: [],
      command: commandLine,
      output: `${missing.command} is not installed`
    })
  }
  const scratch = yield* confinedScratch
  const diagnostics: Array<CompileDiagnostic> = []
  const outputs: Array<string> = []
  let failed = false
  for (const command of commands) {
    const served =
      input.server === undefined || input.isolation !== "sandbox"
        ? Option.none()
        : yield* input.server.run({ command, sandbox, timeoutMs: input.timeoutMs })
    const outcome = Option.isSome(served)
      ? served.value
      : yield* runConfined({
          label: check.name,
          command: command.command,
          args: command.args,
          sandbox,
          scratch,
          env: command.env,
          timeoutMs: input.timeoutMs,
          isolation: input.isolation
        })
    if (outcome._tag === "TimedOut") {
      return yield* report({
        status: "timeout",
        diagnostics: [],
        command: commandLine,
        output: `killed after ${input.timeoutMs} ms`
      })
    }
    outputs.push(`${outcome.stdout}\n${outcome.stderr}`.trim())
    if (outcome.exitCode === 0) continue
    const notTheCode = check.cannotRun?.(outcome)
    if (notTheCode !== undefined) {
      return yield* report({ status: "skipped", diagnostics: [], command: commandLine, output: notTheCode })
    }
    failed = true
    for (const d of check.parse(outcome)) {
      // The sandbox's path in a message (a file tsc did not find) says nothing to the user.
      const message = d.message.replaceAll(`${sandbox}/`, "")
      const diagnostic = new CompileDiagnostic({ ...d, message, file: relative(sandbox, d.file) })
      // Build tools print an error again in their summary: one diagnostic each.
      const seen = diagnostics.some(
        (other) =>
          other.file === diagnostic.file &&
          other.line === diagnostic.line &&
          other.column === diagnostic.column &&
          other.message === diagnostic.message
      )
      if (!seen) diagnostics.push(diagnostic)
    }
  }
  const output = tail(outputs.filter((o) => o !== "").join("\n"), 60)
  // A failure the parser could not read is still a failure: its output is the diagnostic.
  if (failed && diagnostics.length === 0)
    diagnostics.push(new CompileDiagnostic({ message: tail(output, 20).replaceAll(`${sandbox}/`, "") }))
  return yield* report({ status: failed ? "failed" : "passed", diagnostics, command: commandLine, output })
}, Effect.scoped)
