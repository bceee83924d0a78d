#!/usr/bin/env node
/**
 * Entry point of `tamma-codegen`: exit codes of DESIGN §8 (0, 1 work failed, 2 bad input, 130 interrupted).
 * Deep imports and the compile cache keep `--help` fast; plugins load inside the handlers.
 */
import module from "node:module"

// An apply fsyncs every file it writes; libuv's default pool of 4 threads would run only 4 at
// once. Set before the first file-system call, which creates the pool.
process.env.UV_THREADPOOL_SIZE ??= "16"
module.enableCompileCache?.()

const Effect = await import("effect/Effect")
const Logger = await import("effect/Logger")
const NodeRuntime = await import("@effect/platform-node/NodeRuntime")
const NodeServices = await import("@effect/platform-node/NodeServices")
const { run } = await import("./main.ts")
const { exitCodeOf, messageOf } = await import("./CliErrors.ts")
const { recoverAtStartup } = await import("./StartupRecovery.ts")

const argv = process.argv.slice(2)
const main = Effect.andThen(recoverAtStartup(argv), run(argv))

// stdout carries results (--json prints one document there): logs go to stderr.
NodeRuntime.runMain(main.pipe(Effect.provideService(Logger.LogToStderr, true), Effect.provide(NodeServices.layer)), {
  disableErrorReporting: true,
  teardown: (exit, onExit) => {
    const message = messageOf(exit)
    if (message !== undefined) process.stderr.write(`${message}\n`)
    // A failing exit code ends the process at once, dropping what a pipe has not yet taken of
    // stdout (a --json report is often larger than the pipe): exit once stdout has drained.
    process.stdout.write("", () => onExit(exitCodeOf(exit)))
  }
})
