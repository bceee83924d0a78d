/**
 * WarmTsc: the CompileServer for TypeScript's compile check in a long-lived process (a cluster
 * worker). It keeps up to `servers` WarmTscServer processes, each confined like any compile check
 * (bubblewrap: no network, no secrets, the system and toolchains read-only) and reading only the
 * jobs' root, where every compile check's sandbox is made. Each keeps this package's TypeScript
 * loaded and the lib files parsed, so a job pays for its own files only. It serves only the
 * command that runs this package's tsc over a sandbox whose dependencies are this package's own;
 * a workspace's own TypeScript, or dependencies of its own, run as a fresh confined process.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process"
import { realpathSync } from "node:fs"
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { Duration, Effect, Layer, Option, Schema, Semaphore } from "effect"
import { ChildProcessSpawner } from "effect/process"
import type { CompileCommand } from "../../../core/services/LanguageRegistry.ts"
import { childrenOf, groupStartedWithin, killGroup, startOf, ticksNow } from "../../quality/biome/ProcessGroup.ts"
import { entryBeside } from "../../quality/thread/ToolThread.ts"
import { CompileServer } from "../../testing/CompileServer.ts"
import { ownNodeModules } from "../../testing/ConfinedEnvironment.ts"
import { type ConfinedOutcome, confinedScratch, confinedServer } from "../../testing/Confinement.ts"
import { sandboxOrigin } from "../../testing/Sandbox.ts"
import { ownTsc, tscDefaults } from "./CompileCheck.ts"
import { WarmTscReply, type WarmTscRequest } from "./WarmTscProtocol.ts"

const decodeReply = Schema.decodeUnknownOption(Schema.fromJsonString(WarmTscReply))
const encodeRequest = (request: WarmTscRequest) => JSON.stringify(request)

const serverEntry = fileURLToPath(entryBeside(import.meta.url, "WarmTscServer"))

const real = (file: string): string | undefined => {
  try {
    return realpathSync(file)
  } catch {
    return undefined
  }
}

/** What bwrap writes to its info fd once the sandbox's first process runs. */
const SandboxInfo = Schema.fromJsonString(Schema.Struct({ "child-pid": Schema.Number }))
const decodeInfo = Schema.decodeUnknownOption(SandboxInfo)

interface Server {
  readonly child: ChildProcessWithoutNullStreams
  readonly pending: Map<number, (reply: WarmTscReply | Error) => void>
  /**
   * The pid of the sandbox's first process (its pid namespace's init) once bwrap has started it,
   * or undefined when bwrap ended first: killing it ends every process in the sandbox.
   */
  readonly sandbox: Promise<number | undefined>
  /** The same pid once bwrap has told it. */
  sandboxPid: number | undefined
  /** When bwrap started (clock ticks): who may still be in its process group after it was reaped. */
  readonly started: number
  /** The end of what it printed on stderr: said when it dies. */
  stderr: string
  alive: boolean
}

/**
 * Ends a server. Its input closed, it finishes and exits, and bwrap with it, so that nothing of
 * it outlives the scope that closed it; one that does not within 5 s (or `now`) is killed. Never
 * bwrap alone while it sets the sandbox up: killed then, it leaves the sandbox's first process
 * waiting for its word forever (bubblewrap 0.8). bwrap leads a process group of its own, which
 * that process shares until it starts its own session, whose pid bwrap tells (or the kernel's
 * list of bwrap's children, before it has): both groups are killed.
 */
export const stop = (server: Server, now = false): Promise<void> => {
  server.alive = false
  const { child } = server
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const kill = () => {
    // Reaped: its pid, and so its group's number, may be another's by now (see `launch`).
    if (child.exitCode !== null || child.signalCode !== null) return
    const sandboxes = [...childrenOf(child.pid), ...(server.sandboxPid === undefined ? [] : [server.sandboxPid])]
    killGroup(child.pid)
    for (const pid of sandboxes) killGroup(pid)
  }
  if (now) kill()
  else {
    child.stdin.end()
    const timer = setTimeout(() => void kill(), 5000)
    void exited.then(() => clearTimeout(timer))
  }
  return exited
}

/** Starts a server's bwrap (exported, as `stop` is, for the tests of how a server ends). */
export const launch = (
  command: { readonly command: string; readonly args: ReadonlyArray<string> },
  env: Record<string, string>,
  cwd: string
): Server => {
  // fd 3: bwrap's info (see `confinedServer`). `detached`: a process group of its own (see `stop`).
  const child = spawn(command.command, [...command.args], {
    cwd,
    env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe", "pipe"]
  })
  const info = child.stdio[3]
  const sandbox = new Promise<number | undefined>((resolve) => {
    let text = ""
    info?.on("data", (chunk: Buffer) => {
      text += chunk.toString()
      const decoded = decodeInfo(text)
      if (Option.isSome(decoded)) resolve(decoded.value["child-pid"])
    })
    info?.on("close", () => resolve(undefined))
    child.once("exit", () => resolve(undefined))
  })
  // Not reaped before this turn of the event loop ends: its /proc entry is still there.
  const server: Server = {
    child,
    pending: new Map(),
    sandbox,
    sandboxPid: undefined,
    started: startOf(child.pid) ?? 0,
    stderr: "",
    alive: true
  }
  void sandbox.then((pid) => {
    server.sandboxPid = pid
  })
  child.once("exit", () => {
    // A sandbox process that never started is left in bwrap's group when bwrap dies first; the
    // group is killed only while a process that started before that exit is in it.
    const pid = child.pid
    if (pid !== undefined && groupStartedWithin(pid, server.started, ticksNow())) killGroup(pid)
  })
  const fail = (why: string) => {
    server.alive = false
    const owed = [...server.pending.values()]
    server.pending.clear()
    for (const settle of owed) settle(new Error(`${why}: ${server.stderr.trim().slice(-2000)}`))
  }
  createInterface({ input: child.stdout }).on("line", (line) => {
    const reply = decodeReply(line)
    if (Option.isNone(reply)) {
      fail("the warm tsc sent a line that does not decode")
      void stop(server, true)
      return
    }
    const settle = server.pending.get(reply.value.id)
    server.pending.delete(reply.value.id)
    settle?.(reply.value)
  })
  child.stderr.on("data", (chunk: Buffer) => {
    server.stderr = (server.stderr + chunk.toString()).slice(-8192)
  })
  child.stdin.on("error", () => fail("the warm tsc closed its input"))
  child.on("error", (error) => fail(String(error)))
  child.on("exit", (code, signal) => fail(`the warm tsc exited (${signal ?? code})`))
  return server
}

export const WarmTsc = {
  /**
   * The warm compile check, its servers started on first use and ended with the layer's scope
   * (a process that exits leaves none: they die with it). `servers`: how many checks run at once;
   * one by default: a server holds ~270 MB. A check that finds every server busy runs a fresh
   * tsc, as a check the server does not serve does, so that no job waits on another's.
   */
  layer: (
    options: { readonly servers?: number } = {}
  ): Layer.Layer<CompileServer, never, ChildProcessSpawner.ChildProcessSpawner> =>
    Layer.effect(
      CompileServer,
      Effect.gen(function* () {
        const root = yield* Effect.acquireRelease(
          Effect.promise(async () =>
            fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), `tamma-sandbox-${process.pid}-`)))
          ),
          (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
        )
        const scratch = yield* confinedScratch
        const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
        const all = new Set<Server>()
        const idle: Array<Server> = []
        yield* Effect.addFinalizer(() =>
          Effect.promise(async () => {
            const stopping = [...all].map((server) => stop(server))
            all.clear()
            await Promise.all(stopping)
          })
        )
        const slots = yield* Semaphore.make(Math.max(1, options.servers ?? 1))
        const ownTscReal = real(ownTsc)
        const ownModulesReal = real(ownNodeModules)
        let nextId = 0

        /** Starts a server, held by the check (`hold`) from the moment it runs: nothing leaves it unheld. */
        const start = (hold: (server: Server) => void) =>
          Effect.gen(function* () {
            const command = yield* confinedServer({
              label: "tsc",
              command: process.execPath,
              args: [serverEntry, root],
              scratch,
              readOnly: [root, path.dirname(serverEntry)],
              cwd: root
            })
            const server = launch(command, command.env, root)
            all.add(server)
            hold(server)
            return server
          }).pipe(Effect.provideService(ChildProcessSpawner.ChildProcessSpawner, spawner))

        /** Forgets a server and ends it now: it is never asked again. */
        const retire = (server: Server) =>
          Effect.promise(() => {
            all.delete(server)
            return stop(server, true)
          })

        const ask = (server: Server, request: WarmTscRequest) =>
          Effect.callback<WarmTscReply | Error>((resume) => {
            server.pending.set(request.id, (reply) => resume(Effect.succeed(reply)))
            server.child.stdin.write(`${encodeRequest(request)}\n`)
            return Effect.sync(() => server.pending.delete(request.id))
          })

        /** The arguments after tsc when `command` runs this package's tsc over `sandbox`, as the server can. */
        const servable = (command: CompileCommand, sandbox: string): ReadonlyArray<string> | undefined => {
          const [script, ...args] = command.args
          if (command.command !== process.execPath || script === undefined || command.env !== undefined)
            return undefined
          if (ownTscReal === undefined || real(script) !== ownTscReal) return undefined
          if (path.dirname(sandbox) !== root) return undefined
          const origin = sandboxOrigin(sandbox)
          if (origin === undefined || !origin.dependencies.every((dir) => real(dir) === ownModulesReal))
            return undefined
          return args
        }

        const run = Effect.fn("WarmTsc.run")(function* (input: {
          readonly command: CompileCommand
          readonly sandbox: string
          readonly timeoutMs: number
        }) {
          const args = servable(input.command, input.sandbox)
          if (args === undefined) return Option.none<ConfinedOutcome>()
          /** The server this check holds, from taking it to giving it back: ended if the check is given up. */
          let held: Server | undefined
          // No server free: this check runs tsc itself rather than wait, without bound, on another job's.
          const answer = yield* slots.withPermitsIfAvailable(1)(
            Effect.gen(function* () {
              let server = idle.pop()
              while (server !== undefined && !server.alive) server = idle.pop()
              held = server
              if (server === undefined) {
                const started = yield* Effect.option(
                  start((launched) => {
                    held = launched
                  })
                )
                // Cannot confine it here: the command itself says why, as it always has.
                if (Option.isNone(started)) return Option.none<ConfinedOutcome>()
                server = started.value
              }
              const used = server
              const request = { id: nextId++, folder: input.sandbox, args: [...args] }
              const reply = yield* ask(used, request).pipe(Effect.timeoutOption(Duration.millis(input.timeoutMs)))
              held = undefined
              if (Option.isNone(reply)) {
                // A check that takes too long ends its server, as it would end tsc; the next starts another.
                yield* retire(used)
                return Option.some<ConfinedOutcome>({ _tag: "TimedOut" })
              }
              if (reply.value instanceof Error) {
                yield* retire(used)
                yield* Effect.logWarning(`warm tsc failed, running tsc itself: ${reply.value.message}`)
                return Option.none<ConfinedOutcome>()
              }
              idle.push(used)
              if (reply.value._tag === "Fallback") {
                yield* Effect.logDebug(`warm tsc leaves this check to tsc: ${reply.value.reason}`)
                return Option.none<ConfinedOutcome>()
              }
              return Option.some<ConfinedOutcome>({
                _tag: "Exited",
                stdout: reply.value.output,
                stderr: "",
                exitCode: reply.value.exitCode
              })
            }).pipe(
              // A check given up midway would keep its server busy on it: ended, as on a timeout.
              Effect.onInterrupt(() => (held === undefined ? Effect.void : retire(held)))
            )
          )
          return Option.flatten(answer)
        })

        /** One server started and its first check done (TypeScript loaded, the lib files parsed), left idle. */
        const warm = slots.withPermits(1)(
          Effect.gen(function* () {
            if (idle.some((server) => server.alive)) return
            const folder = yield* Effect.promise(() => fs.mkdtemp(path.join(root, "warm-up-")))
            yield* Effect.promise(() => fs.writeFile(path.join(folder, "warm.ts"), "export const warm: number = 1\n"))
            const server = yield* start(() => {})
            // The options of a workspace without a tsconfig (CompileCheck's), so their lib files stay parsed.
            const args = ["--noEmit", "--pretty", "false", ...tscDefaults, "warm.ts"]
            const reply = yield* ask(server, { id: nextId++, folder, args }).pipe(
              Effect.timeoutOption(Duration.seconds(120))
            )
            yield* Effect.promise(() => fs.rm(folder, { recursive: true, force: true }))
            if (Option.isSome(reply) && !(reply.value instanceof Error) && reply.value._tag === "Checked")
              idle.push(server)
            else {
              yield* retire(server)
              yield* Effect.logWarning("warm tsc: its first check failed; checks start it when they need it")
            }
          }).pipe(Effect.catchCause((cause) => Effect.logWarning("warm tsc: could not start it ahead", cause)))
        )

        return CompileServer.of({ root, run, warm })
      })
    )
}
