/**
 * A small process that starts the native CLI's confined runs for NativeVerdict.ts. Starting a
 * process forks the one that asks: from a check's worker (some hundred megabytes of heap and
 * compiled grammars) that took 30 to 200 ms of its thread per run on a busy machine, as long as
 * the run itself; from this process, a few milliseconds. It reads one request per line on stdin
 * (`{ id, command, args, input, timeoutMs, maxOutput }`, or `{ id, abort: true }`) and writes one
 * answer per line (`{ id, stdout, ok, limited }`); it ends when stdin closes (its owner ended,
 * however), and its runs with it. No Effect here: it must start fast.
 *
 * A run must not outlive its owner. `command` is bubblewrap, which forks its sandbox's first
 * process before either has armed `--die-with-parent`; that process then waits for a word from
 * the first one, and waits forever if the first one is killed before it gives it (bubblewrap
 * 0.8). So a run is never ended by killing bubblewrap alone: it gets a process group of its own,
 * which the sandbox's process shares until it starts its own session, and bubblewrap tells us
 * (`--info-fd`, and the kernel's list of its children when that has not come yet) that process's
 * pid, whose group holds the sandbox from then on. Ending a run kills both groups; so do a timeout, an output limit, an abort, our own end and a signal to end.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createInterface } from "node:readline"
import { Readable } from "node:stream"
import { groupStartedWithin, startOf, ticksNow } from "./ProcessGroup.ts"

/** A confined run going on: its process, and the sandbox's first process once bubblewrap said it. */
interface Run {
  readonly child: ChildProcess
  sandboxPid: number | undefined
  /** When bubblewrap started and when its exit was seen (clock ticks): who may still be in its group. */
  readonly started: number
  exitedAt: number | undefined
  exited: boolean
  /** Stopped (a limit, an abort): its output says nothing of the file. */
  stopped: boolean
}

const running = new Map<number, Run>()

/** Kills the process group led by `pid`, if it is still there. */
const killGroup = (pid: number | undefined) => {
  if (pid === undefined || pid <= 1) return
  try {
    process.kill(-pid, "SIGKILL")
  } catch {}
}

/** The children of `pid` as the kernel lists them now: a sandbox whose pid bubblewrap has not told yet. */
const childrenOf = (pid: number | undefined): ReadonlyArray<number> => {
  if (pid === undefined) return []
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

/**
 * Kills bubblewrap's group after it exited and was reaped: a sandbox process still in it is one
 * that never started. Only if a member started before that exit: an empty group's number is a
 * free pid, maybe given since to the leader of another group (the next run's bubblewrap).
 */
const killLeftGroup = (run: Run) => {
  const pid = run.child.pid
  if (pid !== undefined && groupStartedWithin(pid, run.started, run.exitedAt ?? ticksNow())) killGroup(pid)
}

/**
 * Kills all of a run. The sandbox's own group only while bubblewrap runs: after that its pid may
 * have been given to another process.
 */
const end = (run: Run) => {
  if (run.exited) return killLeftGroup(run)
  const sandboxes = [...childrenOf(run.child.pid), ...(run.sandboxPid === undefined ? [] : [run.sandboxPid])]
  killGroup(run.child.pid)
  for (const pid of sandboxes) killGroup(pid)
}

const stopRun = (run: Run) => {
  run.stopped = true
  end(run)
}

const answer = (id: number, stdout: string, ok: boolean, limited: boolean) => {
  running.delete(id)
  process.stdout.write(`${JSON.stringify({ id, stdout, ok, limited })}\n`)
}

/** `bwrap --info-fd` prints `{ "child-pid": N, … }` once the sandbox's first process exists. */
const watchInfo = (info: unknown, run: Run) => {
  if (!(info instanceof Readable)) return
  let text = ""
  info.setEncoding("utf8")
  info.on("data", (chunk: string) => {
    text += chunk
    const pid = /"child-pid":\s*(\d+)/.exec(text)?.[1]
    if (pid !== undefined && run.sandboxPid === undefined) run.sandboxPid = Number(pid)
  })
  info.on("error", () => {})
}

const start = (request: Record<string, unknown>) => {
  const { id, command, args, input, timeoutMs, maxOutput } = request
  if (typeof id !== "number") return
  if (request.abort === true) {
    const run = running.get(id)
    if (run !== undefined) stopRun(run)
    return
  }
  const valid =
    typeof command === "string" &&
    Array.isArray(args) &&
    args.every((arg) => typeof arg === "string") &&
    typeof input === "string" &&
    typeof timeoutMs === "number" &&
    typeof maxOutput === "number"
  if (!valid) return answer(id, "", false, false)
  // `detached`: a process group (and a session, so no terminal) of its own.
  const child = spawn(command, ["--info-fd", "3", ...args], {
    shell: false,
    env: {},
    detached: true,
    stdio: ["pipe", "pipe", "ignore", "pipe"]
  })
  // Not reaped before this turn of the event loop ends: its /proc entry is still there.
  const run: Run = {
    child,
    sandboxPid: undefined,
    started: startOf(child.pid) ?? 0,
    exitedAt: undefined,
    exited: false,
    stopped: false
  }
  running.set(id, run)
  watchInfo(child.stdio[3], run)
  const stdout: Array<Buffer> = []
  let bytes = 0
  const timer = setTimeout(() => stopRun(run), timeoutMs)
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout.push(chunk)
    bytes += chunk.length
    if (bytes > maxOutput) stopRun(run)
  })
  child.on("exit", () => {
    run.exited = true
    run.exitedAt = ticksNow()
    clearTimeout(timer)
    // A sandbox process that never started is left in bubblewrap's group when it dies early.
    killLeftGroup(run)
  })
  child.on("error", () => {
    clearTimeout(timer)
    if (running.get(id) === run) answer(id, "", false, false)
  })
  child.on("close", (code) => {
    if (running.get(id) !== run) return
    if (run.stopped) answer(id, "", false, true)
    else answer(id, Buffer.concat(stdout).toString("utf8"), code === 0, false)
  })
  child.stdin?.on("error", () => {})
  child.stdin?.end(input)
}

/** Ends every run, waits (briefly) for bubblewrap's processes to be reaped, and exits. */
const stop = () => {
  const runs = [...running.values()]
  for (const run of runs) end(run)
  const reaped = runs
    .filter((run) => !run.exited)
    .map((run) => new Promise((resolve) => run.child.once("exit", resolve)))
  void Promise.race([Promise.all(reaped), new Promise((resolve) => setTimeout(resolve, 1000))]).then(() =>
    process.exit(0)
  )
}

const lines = createInterface({ input: process.stdin })
lines.on("line", (line) => {
  try {
    const request: unknown = JSON.parse(line)
    if (typeof request === "object" && request !== null && !Array.isArray(request)) start({ ...request })
  } catch {}
})
lines.on("close", stop)
// The owner is gone (its end of our stdout closed): as when it closes our stdin.
process.stdout.on("error", stop)
// Asked to end: the runs end first. A terminal's interrupt or hang-up is for the owner, whose end
// closes our stdin: until then its runs go on.
process.on("SIGTERM", stop)
process.on("SIGINT", () => {})
process.on("SIGHUP", () => {})
