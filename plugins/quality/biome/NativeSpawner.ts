/**
 * A small process that starts the native CLI's confined runs for NativeVerdict.ts. Starting a
 * process forks the one that asks: from a check's worker (some hundred megabytes of heap and
 * compiled grammars) that took 30 to 200 ms of its thread per run on a busy machine, as long as
 * the run itself; from this process, a few milliseconds. It reads one request per line on stdin
 * (`{ id, command, args, input, timeoutMs, maxOutput }`, or `{ id, abort: true }`) and writes one
 * answer per line (`{ id, stdout, ok, limited }`); it ends when stdin closes, and its runs with it.
 * No Effect here: it must start fast.
 */
import { type ChildProcess, execFile } from "node:child_process"
import { createInterface } from "node:readline"

const running = new Map<number, ChildProcess>()

const answer = (id: number, stdout: string, ok: boolean, limited: boolean) => {
  running.delete(id)
  process.stdout.write(`${JSON.stringify({ id, stdout, ok, limited })}\n`)
}

const start = (request: Record<string, unknown>) => {
  const { id, command, args, input, timeoutMs, maxOutput } = request
  if (typeof id !== "number") return
  if (request.abort === true) {
    running.get(id)?.kill("SIGKILL")
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
  const child = execFile(
    command,
    args,
    { shell: false, env: {}, timeout: timeoutMs, maxBuffer: maxOutput, encoding: "utf8" },
    (error, stdout) =>
      answer(
        id,
        stdout,
        error === null,
        error !== null && (error.killed === true || error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER")
      )
  )
  running.set(id, child)
  child.stdin?.on("error", () => {})
  child.stdin?.end(input)
}

const lines = createInterface({ input: process.stdin })
lines.on("line", (line) => {
  try {
    const request: unknown = JSON.parse(line)
    if (typeof request === "object" && request !== null && !Array.isArray(request)) start({ ...request })
  } catch {}
})
lines.on("close", () => {
  for (const child of running.values()) child.kill("SIGKILL")
  process.exit(0)
})
