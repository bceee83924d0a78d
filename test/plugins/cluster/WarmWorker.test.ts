/**
 * A worker warms its TypeScript compile check before it says it is ready (and so before it
 * publishes its slots or serves its entities): at that moment, with no job ever submitted, its
 * warm tsc server is already running, confined, among its own processes. Before, the server was
 * started by the first job's check, which then paid for TypeScript's load.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startWorker, type Worker } from "../../../examples/cluster/ClusterFixture.ts"
import { type LocalPostgres, postgresBinaries, startPostgres } from "../../../examples/cluster/LocalPostgres.ts"

const installed = postgresBinaries() !== undefined

/** The processes descending from `root`, with their command lines, read from /proc. */
const descendants = (root: number): ReadonlyArray<{ readonly pid: number; readonly command: string }> => {
  const children = new Map<number, Array<number>>()
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The parent pid is the 2nd field after the command's closing parenthesis.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8")
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // Gone meanwhile.
    }
  }
  const found: Array<{ pid: number; command: string }> = []
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      try {
        found.push({ pid: child, command: fs.readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0").join(" ") })
      } catch {}
      visit(child)
    }
  }
  visit(root)
  return found
}

describe.skipIf(!installed)("a warm worker", () => {
  let postgres: LocalPostgres
  let worker: Worker | undefined
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tamma-warm-worker-"))
  beforeAll(async () => {
    postgres = await startPostgres()
  }, 60_000)
  afterAll(async () => {
    if (worker !== undefined) {
      worker.process.kill("SIGKILL")
      await worker.exited
    }
    await postgres?.stop()
    fs.rmSync(scratch, { recursive: true, force: true })
  })

  it("has its warm tsc server running when it says it is ready, before any job", async () => {
    worker = await startWorker(postgres.url, { concurrency: 1, env: { TMPDIR: scratch } })
    const pid = worker.process.pid
    if (pid === undefined) throw new Error("the worker has no pid")
    const servers = descendants(pid).filter((p) => p.command.includes("WarmTscServer"))
    // One server (bwrap and the confined node under it both name the entry), and it started no
    // second: the warm-up's server is the one kept idle for the first job's check.
    expect(servers.length).toBeGreaterThan(0)
    expect(new Set(servers.map((p) => p.command.split(" ").find((arg) => arg.includes("tamma-sandbox-"))))).toEqual(
      new Set([expect.stringContaining(path.join(fs.realpathSync(scratch), `tamma-sandbox-${pid}-`))])
    )
    // Its warm-up check ran and its folder was removed: nothing of it is left in the jobs' root.
    const roots = fs.readdirSync(scratch).filter((name) => name.startsWith(`tamma-sandbox-${pid}-`))
    expect(roots).toHaveLength(1)
    expect(fs.readdirSync(path.join(scratch, roots[0] ?? "")).filter((name) => name.startsWith("warm-up-"))).toEqual([])
  }, 120_000)
})
