/**
 * Confinement: how a command over a workspace's code (its tests, a compile check) is run. The
 * code is untrusted, so every such command goes through `runConfined`, the one place that
 * decides its environment, what it may read and write, and when it is killed.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { Duration, Effect, Stream } from "effect"
import { ChildProcess, ChildProcessSpawner } from "effect/process"
import { TestRunError } from "../../core/errors.ts"

/** `sandbox`: bubblewrap, no network, only the sandbox writable; `none`: an explicit opt-out. */
export type Isolation = "sandbox" | "none"

export interface ConfinedCommand {
  /** Names the tool in errors, e.g. `vitest` or `tsc`. */
  readonly label: string
  /** Run without a shell; looked up on PATH. */
  readonly command: string
  readonly args: ReadonlyArray<string>
  /** The folder the command runs in and may write. */
  readonly sandbox: string
  /** A folder from `confinedScratch`: HOME, TMPDIR and reports live there. */
  readonly scratch: string
  /** Variables the tool itself needs, on top of the allow-listed ones. */
  readonly env?: Readonly<Record<string, string>> | undefined
  readonly timeoutMs: number
  readonly isolation: Isolation
}

export type ConfinedOutcome =
  | { readonly _tag: "Exited"; readonly stdout: string; readonly stderr: string; readonly exitCode: number }
  | { readonly _tag: "TimedOut" }

const outputCap = 256 * 1024

/** Variables that must never reach code under test: provider keys and tokens. */
const secretVariable = /(_API_KEY|_TOKEN|_SECRET|_PASSWORD)$|^(ANTHROPIC|OPENAI)_/

export const sandboxEnvironment = (
  extra: Readonly<Record<string, string>> = {}
): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = {}
  for (const [key, value] of Object.entries(process.env)) if (!secretVariable.test(key)) env[key] = value
  return { ...env, CI: "true", NO_COLOR: "1", FORCE_COLOR: "0", ...extra }
}

/** Keeps the last `outputCap` characters: the end of a runner's output says the most. */
const collect = (stream: Stream.Stream<Uint8Array, unknown>) =>
  stream.pipe(
    Stream.decodeText(),
    Stream.runFold(
      () => "",
      (acc, chunk) => {
        const next = acc + chunk
        return next.length > outputCap ? next.slice(next.length - outputCap) : next
      }
    )
  )

/** A scratch folder for one confined command, removed when the scope closes. */
export const confinedScratch = Effect.acquireRelease(
  Effect.promise(() => fs.mkdtemp(path.join(os.tmpdir(), "tamma-tests-"))),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

/**
 * Runs one command confined to `sandbox`: no shell, a timeout that kills the whole process tree,
 * output capped to its last 256 KiB.
 */
export const runConfined = Effect.fn("runConfined")(function* (run: ConfinedCommand) {
  const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
  const commandLine = [run.command, ...run.args].join(" ")
  const outcome = yield* Effect.gen(function* () {
    const handle = yield* spawner.spawn(
      ChildProcess.make(run.command, [...run.args], {
        cwd: run.sandbox,
        env: sandboxEnvironment(run.env),
        extendEnv: false,
        forceKillAfter: Duration.seconds(2)
      })
    )
    const [stdout, stderr, exitCode] = yield* Effect.all(
      [collect(handle.stdout), collect(handle.stderr), handle.exitCode],
      { concurrency: "unbounded" }
    )
    return { _tag: "Exited" as const, stdout, stderr, exitCode: Number(exitCode) }
  }).pipe(
    Effect.scoped,
    Effect.timeoutOption(Duration.millis(run.timeoutMs)),
    Effect.mapError((error) => new TestRunError({ framework: run.label, detail: `${commandLine}: ${String(error)}` }))
  )
  const result: ConfinedOutcome = outcome._tag === "Some" ? outcome.value : { _tag: "TimedOut" }
  return result
})
