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
import { bubblewrapArgs, findBubblewrap, installAdvice, namespaceVariants, optOutAdvice } from "./Bubblewrap.ts"
import { confinedEnvironment, inside, outputCap, scratchFolders, toolchainsOf } from "./ConfinedEnvironment.ts"
import { sandboxOrigin } from "./Sandbox.ts"

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

/** Variables that must never reach code under test: provider keys and tokens. */
const secretVariable = /(_API_KEY|_TOKEN|_SECRET|_PASSWORD)$|^(ANTHROPIC|OPENAI|AWS)_/

/** The parent's environment without keys and tokens; kept for callers outside confinement. */
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

/**
 * A scratch folder for one confined command (HOME, TMPDIR, reports), removed when the scope
 * closes. Its name carries our pid, so a later start removes it if we are killed first.
 */
export const confinedScratch = Effect.acquireRelease(
  Effect.promise(async () => {
    const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), `tamma-tests-${process.pid}-`)))
    const folders = scratchFolders(dir)
    for (const folder of Object.values(folders)) await fs.mkdir(folder, { recursive: true })
    return dir
  }),
  (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
)

/** The namespace flags that work here, per bwrap binary: probed once, they do not change. */
const probed = new Map<string, ReadonlyArray<string> | string>()

const probeBubblewrap = Effect.fnUntraced(function* (bwrap: string) {
  const known = probed.get(bwrap)
  if (known !== undefined) return known
  const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
  let failure = ""
  for (const namespaces of namespaceVariants) {
    const args = [...namespaces, "--unshare-net", "--die-with-parent", "--ro-bind", "/", "/", "true"]
    const outcome = yield* Effect.gen(function* () {
      const handle = yield* spawner.spawn(ChildProcess.make(bwrap, args, { extendEnv: false, env: {} }))
      const [stderr, exitCode] = yield* Effect.all([collect(handle.stderr), handle.exitCode], {
        concurrency: "unbounded"
      })
      return { stderr, exitCode: Number(exitCode) }
    }).pipe(
      Effect.scoped,
      Effect.catch((error) => Effect.succeed({ stderr: String(error), exitCode: -1 }))
    )
    if (outcome.exitCode === 0) {
      probed.set(bwrap, namespaces)
      return namespaces
    }
    failure = outcome.stderr.trim()
  }
  probed.set(bwrap, failure)
  return failure
})

/** bwrap and the namespace flags that work here; fails, never falls back to unconfined, without them. */
const workingBubblewrap = Effect.fnUntraced(function* (label: string) {
  const bwrap = findBubblewrap(process.env.PATH)
  if (bwrap === undefined) {
    return yield* new TestRunError({
      framework: label,
      detail: `tests run confined, but bwrap is not on PATH: ${installAdvice}, or ${optOutAdvice}`
    })
  }
  const namespaces = yield* probeBubblewrap(bwrap)
  if (typeof namespaces === "string") {
    return yield* new TestRunError({
      framework: label,
      detail: `bwrap cannot create a sandbox on this machine (${namespaces}); allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or the AppArmor rule for bwrap), or ${optOutAdvice}`
    })
  }
  return { bwrap, namespaces }
})

/** Said once per process: every later unconfined command is covered by it. */
let warnedUnconfined = false

/**
 * The command line that runs `run` as asked: inside bubblewrap, or as it is when isolation is
 * `none`. Fails with a TestRunError, never falls back to unconfined, when bwrap is missing or
 * cannot create namespaces here.
 */
const confine = Effect.fnUntraced(function* (run: ConfinedCommand, sandbox: string, scratch: string) {
  const toolchains = toolchainsOf(process.env, scratch)
  const env = confinedEnvironment(process.env, scratch, toolchains, run.env)
  if (run.isolation === "none") {
    if (!warnedUnconfined) {
      warnedUnconfined = true
      yield* Effect.logWarning(
        'tests.isolation is "none": generated tests and checks run unconfined, with your network and files'
      )
    }
    return { command: run.command, args: [...run.args], env }
  }
  const { bwrap, namespaces } = yield* workingBubblewrap(run.label)
  const origin = sandboxOrigin(sandbox)
  // Not where the workspace holds the sandbox itself: the mount would hide it.
  const mirrored = origin !== undefined && !inside(sandbox, origin.workspace) && !inside(scratch, origin.workspace)
  const args = bubblewrapArgs({
    namespaces,
    writable: [sandbox, scratch],
    toolchains,
    dependencies: origin?.dependencies ?? [],
    mirror: mirrored ? { source: sandbox, target: origin.workspace } : undefined,
    cwd: sandbox
  })
  return { command: bwrap, args: [...args, "--", run.command, ...run.args], env }
})

/**
 * Runs one command confined to `sandbox` (see `Isolation`): no shell, an allow-listed
 * environment, a timeout that kills the whole process tree, output capped to its last 256 KiB.
 */
export const runConfined = Effect.fn("runConfined")(function* (run: ConfinedCommand) {
  const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
  const commandLine = [run.command, ...run.args].join(" ")
  const real = (folder: string) =>
    Effect.tryPromise({
      try: () => fs.realpath(folder),
      catch: () => new TestRunError({ framework: run.label, detail: `${folder} does not exist` })
    })
  const sandbox = yield* real(run.sandbox)
  const spawned = yield* confine(run, sandbox, yield* real(run.scratch))
  const outcome = yield* Effect.gen(function* () {
    const handle = yield* spawner.spawn(
      ChildProcess.make(spawned.command, spawned.args, {
        cwd: sandbox,
        env: spawned.env,
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

/**
 * The command line of a long-lived confined process (a compile server kept across jobs): the same
 * bubblewrap as `runConfined` — no network, the allow-listed environment, the toolchains — that
 * reads `readOnly` folders besides them and writes only `scratch`. Always confined: a caller whose
 * isolation is `none` runs its commands one by one instead. The caller opens fd 3 for bwrap's info.
 */
export const confinedServer = Effect.fn("confinedServer")(function* (server: {
  readonly label: string
  readonly command: string
  readonly args: ReadonlyArray<string>
  /** A folder from `confinedScratch`, kept as long as the server. */
  readonly scratch: string
  readonly readOnly: ReadonlyArray<string>
  readonly cwd: string
}) {
  const toolchains = toolchainsOf(process.env, server.scratch)
  const env = confinedEnvironment(process.env, server.scratch, toolchains)
  const { bwrap, namespaces } = yield* workingBubblewrap(server.label)
  const args = bubblewrapArgs({
    namespaces,
    writable: [server.scratch],
    toolchains,
    dependencies: server.readOnly,
    cwd: server.cwd
  })
  // bwrap writes `{"child-pid": N}` to fd 3 once the sandbox runs: the caller opens it, and ends
  // the sandbox by that pid (bwrap killed while it sets up leaves the sandbox's processes behind).
  return { command: bwrap, args: [...args, "--info-fd", "3", "--", server.command, ...server.args], env }
})
