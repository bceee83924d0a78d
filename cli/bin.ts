#!/usr/bin/env node
/**
 * Entry point of `tamma-codegen`: exit codes of DESIGN §8 (0, 1 work failed, 2 bad input, 130 interrupted).
 * Deep imports and the compile cache keep `--help` fast; plugins load inside the handlers.
 */
import module from "node:module"
import * as os from "node:os"
import * as path from "node:path"

// An apply fsyncs every file it writes; libuv's default pool of 4 threads would run only 4 at
// once. Set before the first file-system call, which creates the pool.
process.env.UV_THREADPOOL_SIZE ??= "16"
// V8's compiled code of the modules loaded from here on, kept in the user's cache folder (as
// cli/handlers/CheckCache.ts finds it), never in a workspace: ~0.05 s less CPU on every later start.
const xdgCache = process.env.XDG_CACHE_HOME
module.enableCompileCache?.(
  path.join(
    xdgCache !== undefined && path.isAbsolute(xdgCache) ? xdgCache : path.join(os.homedir(), ".cache"),
    "tamma",
    "compile"
  )
)

// Until the run starts, nothing has been written: a SIGINT during start-up exits 130 at once
// (the default would end the process by the signal, with no exit code).
const interruptedAtStartup = () => {
  process.stderr.write("interrupted before the run started: nothing was written\n")
  // --json promises a document on stdout on every exit path, this one too.
  if (process.argv.includes("--json")) {
    process.stdout.write(
      `${JSON.stringify({ status: "failed", errors: [{ tag: "Interrupted", message: "interrupted before the run started" }] })}\n`
    )
  }
  process.exit(130)
}
process.on("SIGINT", interruptedAtStartup)
process.on("SIGTERM", interruptedAtStartup)

// Relative paths are the user's: under `npm run`, that is where npm was started (see Invocation).
const { invocationDir } = await import("./Invocation.ts")
process.chdir(invocationDir())

const Effect = await import("effect/Effect")
const Logger = await import("effect/Logger")
const NodeRuntime = await import("@effect/platform-node/NodeRuntime")
const NodeServices = await import("@effect/platform-node/NodeServices")
const { run } = await import("./main.ts")
const { visibleLoggerLayer } = await import("./VisibleLogger.ts")
const { exitCodeOf, interruptedLineOf, messageOf, SettledExit, UnderWay } = await import("./CliErrors.ts")
const { RecoveredAtStartup, recoverAtStartup } = await import("./StartupRecovery.ts")
const { documentText, failureDocument, helpOnStderr, JsonDocument, wantsJson } = await import("./JsonOutput.ts")

const argv = process.argv.slice(2)
const json = wantsJson(argv)
const settledExit = SettledExit.of({ code: undefined })
const underWay = UnderWay.of({ work: { _tag: "Nothing" } })
const jsonDocument = JsonDocument.of({ printed: false })
const main = Effect.flatMap(recoverAtStartup(argv), (recovered) =>
  run(argv).pipe(Effect.provideService(RecoveredAtStartup, RecoveredAtStartup.of({ runs: recovered })))
).pipe(
  // Logs carry what providers and the workspace said: their control characters are escaped.
  Effect.provide(visibleLoggerLayer),
  Effect.provideService(SettledExit, settledExit),
  Effect.provideService(UnderWay, underWay),
  Effect.provideService(JsonDocument, jsonDocument),
  json ? Effect.provide(helpOnStderr) : (effect) => effect
)

process.off("SIGINT", interruptedAtStartup)
process.off("SIGTERM", interruptedAtStartup)
// stdout carries results (--json prints one document there): logs go to stderr.
NodeRuntime.runMain(main.pipe(Effect.provideService(Logger.LogToStderr, true), Effect.provide(NodeServices.layer)), {
  disableErrorReporting: true,
  teardown: (exit) => {
    const code = exitCodeOf(exit, settledExit.code)
    // The run is over and its outcome stands: a signal from here on ends the process with that
    // outcome's code, not by the signal.
    const settled = () => process.exit(code)
    process.on("SIGINT", settled)
    process.on("SIGTERM", settled)
    const message = messageOf(exit, settledExit.code, underWay.work)
    if (message !== undefined) process.stderr.write(`${message}\n`)
    // --json promises one document on stdout whatever happened: the command's own, else this one.
    if (json && !jsonDocument.printed) {
      process.stdout.write(`${documentText(failureDocument(exit, code, interruptedLineOf(underWay.work)))}\n`)
    }
    // A failing exit code ends the process at once, dropping what a pipe has not yet taken of
    // stdout (a --json report is often larger than the pipe): exit once stdout has drained.
    // Exiting explicitly, also with 0, keeps the listeners above to the end: a process left to end
    // by itself removes them first, then spends tens of ms tearing its heap down.
    process.stdout.write("", () => process.exit(code))
  }
})
