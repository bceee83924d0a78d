/**
 * The warm compile check against a fresh `tsc`: the same reports on the same changes, a server
 * that sees only the job it checks (not another job's folder, not a file outside its sandbox),
 * nothing of one job in the next, a workspace's own TypeScript never kept, and no server left
 * once its scope closes.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { NodeServices } from "@effect/platform-node"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Context, Effect, Fiber, Layer, Option } from "effect"
import type { CompileReport } from "../../../../core/domain/CompileReport.ts"
import type { StagedChange } from "../../../../core/services/FileManager.ts"
import { LanguageRegistry } from "../../../../core/services/LanguageRegistry.ts"
import { TestRunner } from "../../../../core/services/TestRunner.ts"
import { TypeScript } from "../../../../plugins/languages/typescript/TypeScript.ts"
import { WarmTsc } from "../../../../plugins/languages/typescript/WarmTsc.ts"
import { CompileServer } from "../../../../plugins/testing/CompileServer.ts"
import { ProcessTestRunner } from "../../../../plugins/testing/ProcessTestRunner.ts"
import { languagesLayer } from "../../../../presets/NodeQuality.ts"
import { warmDefaults } from "../../../../presets/WarmLayers.ts"

const folders: Array<string> = []
afterAll(() => {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/** A TypeScript workspace: `files` relative to it, a package.json so that it borrows our node_modules. */
const workspace = (files: Readonly<Record<string, string>>) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tamma-warm-tsc-")))
  folders.push(dir)
  const all: Record<string, string> = {
    "package.json": JSON.stringify({ name: "w", private: true, type: "module" }),
    "src/calc.ts": "export function add(a: number, b: number): number {\n  return a + b\n}\n",
    ...files
  }
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.writeFileSync(path.join(dir, file), text)
  }
  return dir
}

const tsconfig = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, types: [], module: "preserve" },
    include: ["src"],
    ...extra
  })

const registry = TypeScript.layer.pipe(Layer.provideMerge(LanguageRegistry.layer))
const cold = ProcessTestRunner.layer().pipe(Layer.provide(Layer.mergeAll(NodeServices.layer, registry)))

/**
 * A warm server with one process that records, in order, whether each check was answered by the
 * server (true) or left to tsc (false), and the server's root once it is built.
 */
const recordingServer = () => {
  const answered: Array<boolean> = []
  const state = { root: "" }
  const layer = Layer.effect(
    CompileServer,
    Effect.gen(function* () {
      const inner = yield* CompileServer
      state.root = inner.root
      return CompileServer.of({
        root: inner.root,
        run: (options) =>
          inner.run(options).pipe(
            Effect.tap((outcome) =>
              Effect.sync(() => {
                answered.push(Option.isSome(outcome))
              })
            )
          )
      })
    })
  ).pipe(Layer.provide(WarmTsc.layer({ servers: 1 })), Layer.provide(NodeServices.layer))
  const runner = ProcessTestRunner.layer().pipe(Layer.provide(Layer.mergeAll(NodeServices.layer, registry, layer)))
  return { answered, state, runner }
}

const recording = recordingServer()
const served = recording.answered
const warm = recording.runner

const check = (dir: string, changes: ReadonlyArray<StagedChange>, timeoutMs = 120_000) =>
  TestRunner.use((tests) => tests.checkStaged({ workspace: dir, language: "typescript", changes, timeoutMs }))

const added = (file: string, text: string): StagedChange => ({ path: file, before: undefined, after: text })

/**
 * A report without what differs between any two runs: its time and where its sandbox was. The
 * warm check's sandboxes are made in the server's root, a cold one's in the temp folder: a path
 * beside the sandbox names the one or the other.
 */
const comparable = (report: CompileReport) => {
  const placeless = (text: string) =>
    text
      .replaceAll(`${recording.state.root}/`, `${os.tmpdir()}/`)
      .replaceAll(/\/[^\s'"]*tamma-sandbox-\d+-\w+/g, "SANDBOX")
  return {
    status: report.status,
    diagnostics: report.diagnostics.map((d) => ({ ...d, message: placeless(d.message) })),
    command: placeless(report.command),
    output: placeless(report.output)
  }
}

/** The processes whose command line names `folder`, once those being killed are gone (5 s at most). */
const runningUnder = (folder: string) =>
  Effect.promise(async () => {
    const running = () =>
      fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(folder)
          } catch {
            return false
          }
        })
    let left = running()
    // A killed sandbox's processes die an instant after the kill: looked for until then.
    for (let tries = 0; left.length > 0 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      left = running()
    }
    return left
  })

/** The pids of the warm servers (their node process, not bwrap's) alive under `folder`, once at most `atMost` are (5 s at most). */
const serversUnder = (folder: string, atMost: number) =>
  Effect.promise(async () => {
    const running = () =>
      fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
          try {
            const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")
            return (
              path.basename(args[0] ?? "") !== "bwrap" &&
              args.some((arg) => arg.endsWith("WarmTscServer.ts")) &&
              args.includes(folder)
            )
          } catch {
            return false
          }
        })
    let live = running()
    for (let tries = 0; live.length > atMost && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      live = running()
    }
    return live
  })

/** A file whose check takes a minute: each line makes tsc list 40320 orderings of eight names. */
const slowToCheck = [
  "type Perm<T, U = T> = [T] extends [never] ? [] : T extends U ? [T, ...Perm<Exclude<U, T>>] : never",
  ...Array.from({ length: 12 }, (_, i) => {
    const names = Array.from({ length: 8 }, (_, j) => `"${String.fromCharCode(97 + j)}${i}"`)
    return `export const p${i}: Perm<${names.join(" | ")}> = [${names.join(", ")}]`
  })
].join("\n")

const coldReport = (dir: string, changes: ReadonlyArray<StagedChange>) => check(dir, changes).pipe(Effect.provide(cold))

describe("WarmTsc", () => {
  it.layer(warm, { timeout: 240_000 })((it) => {
    it.effect("reports what a fresh tsc reports, and answers from the warm server", () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<{ readonly dir: string; readonly changes: ReadonlyArray<StagedChange> }> = [
          // A type error and an import of nothing, under the workspace's tsconfig.
          {
            dir: workspace({ "tsconfig.json": tsconfig() }),
            changes: [added("src/bad.ts", 'export const n: number = "x"\nimport { nope } from "./missing"\n')]
          },
          // A clean change.
          {
            dir: workspace({ "tsconfig.json": tsconfig() }),
            changes: [added("src/fine.ts", "export const one = 1\n")]
          },
          // No tsconfig: the change's files with the check's defaults.
          { dir: workspace({}), changes: [added("src/bad.ts", "export const s: string = 2\n")] },
          // A syntax error, and a tsconfig naming a file that is not there.
          {
            dir: workspace({
              "tsconfig.json": tsconfig({ files: ["src/calc.ts", "src/gone.ts"], include: undefined })
            }),
            changes: [added("src/calc.ts", "export function add(a: number, b: number): number {\n  return a +\n")]
          }
        ]
        for (const { dir, changes } of cases) {
          const expected = yield* coldReport(dir, changes)
          served.length = 0
          const actual = yield* check(dir, changes)
          expect(served.length).toBeGreaterThan(0)
          expect(served.every((answered) => answered)).toBe(true)
          expect(comparable(actual)).toEqual(comparable(expected))
        }
        // The cases above are not vacuous: the first fails on its two lines.
        const first = cases[0]
        if (first === undefined) return
        const report = yield* check(first.dir, first.changes)
        expect(report.diagnostics.map((d) => [d.file, d.line, d.message.slice(0, 6)])).toEqual([
          ["src/bad.ts", 1, "TS2322"],
          ["src/bad.ts", 2, "TS2307"]
        ])
      })
    )

    it.effect("one job's errors do not reach the next job", () =>
      Effect.gen(function* () {
        const broken = workspace({ "tsconfig.json": tsconfig() })
        const clean = workspace({ "tsconfig.json": tsconfig() })
        const change = (text: string) => [added("src/calc.ts", text)]
        served.length = 0
        const first = yield* check(broken, change('export const add: number = "not a number"\n'))
        expect(first.status).toBe("failed")
        const second = yield* check(clean, change("export const add = (a: number) => a\n"))
        expect(second.status).toBe("passed")
        expect(second.diagnostics).toEqual([])
        expect(served).toEqual([true, true])
      })
    )

    it.effect("a job reads nothing outside its sandbox: not another job's folder, not the machine's files", () =>
      Effect.gen(function* () {
        // Another job's sandbox, beside this one under the server's root, with a secret in it.
        const other = path.join(recording.state.root, "tamma-sandbox-other-job")
        fs.mkdirSync(path.join(other, "src"), { recursive: true })
        fs.writeFileSync(path.join(other, "src", "secret.ts"), 'export const secret: number = "other-job-secret"\n')
        fs.writeFileSync(path.join(other, "tsconfig.json"), tsconfig({ compilerOptions: { strict: false } }))
        // A file of the machine, outside any sandbox.
        const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tamma-warm-outside-")))
        folders.push(outside)
        fs.writeFileSync(path.join(outside, "base.json"), tsconfig({ compilerOptions: { strict: false } }))
        fs.writeFileSync(path.join(outside, "leak.ts"), 'export const leak: number = "outside-secret"\n')

        const cases: ReadonlyArray<Readonly<Record<string, string>>> = [
          { "tsconfig.json": JSON.stringify({ extends: "../tamma-sandbox-other-job/tsconfig.json" }) },
          { "tsconfig.json": JSON.stringify({ extends: path.join(outside, "base.json"), include: ["src"] }) },
          {
            "tsconfig.json": tsconfig({
              files: ["src/calc.ts", "../tamma-sandbox-other-job/src/secret.ts", path.join(outside, "leak.ts")],
              include: undefined
            })
          }
        ]
        for (const files of cases) {
          const dir = workspace(files)
          const change = [added("src/more.ts", "export const more = 2\n")]
          const expected = yield* coldReport(dir, change)
          served.length = 0
          const report = yield* check(dir, change)
          expect(served.length).toBeGreaterThan(0)
          expect(served.every((answered) => answered)).toBe(true)
          // The file outside is not there for it: tsc says it cannot read it, and nothing of what it holds.
          expect(report.output).toMatch(/TS5083|TS6053/)
          expect(report.output).not.toMatch(/other-job-secret|outside-secret|TS2322/)
          expect(comparable(report)).toEqual(comparable(expected))
        }
        // A link in the change's workspace to the other job's file leads nowhere.
        const linked = workspace({ "tsconfig.json": tsconfig() })
        fs.symlinkSync(path.join(other, "src", "secret.ts"), path.join(linked, "src", "linked.ts"))
        const report = yield* check(linked, [
          added("src/more.ts", 'import { secret } from "./linked"\nexport { secret }\n')
        ])
        expect(report.status).toBe("failed")
        expect(report.diagnostics.map((d) => d.message.slice(0, 6))).toEqual(["TS2307"])
        expect(report.output).not.toContain("other-job-secret")
      })
    )

    it.effect("a workspace's own TypeScript is never kept warm: it runs as the job's own confined tsc", () =>
      Effect.gen(function* () {
        const dir = workspace({
          "tsconfig.json": tsconfig(),
          "node_modules/typescript/bin/tsc":
            'console.log("src/calc.ts(1,1): error TS9999: the workspace\'s own tsc")\nprocess.exit(2)\n'
        })
        served.length = 0
        const report = yield* check(dir, [added("src/more.ts", "export const more = 2\n")])
        expect(served.length).toBeGreaterThan(0)
        expect(served.some((answered) => answered)).toBe(false)
        expect(report.diagnostics.map((d) => d.message)).toEqual(["TS9999: the workspace's own tsc"])
      })
    )

    it.effect("options under which tsc does more than check are left to tsc, with the same report", () =>
      Effect.gen(function* () {
        const dir = workspace({ "tsconfig.json": tsconfig({ compilerOptions: { listFiles: true, types: [] } }) })
        const change = [added("src/bad.ts", "export const s: string = 2\n")]
        served.length = 0
        const report = yield* check(dir, change)
        expect(served).toEqual([false])
        expect(report.diagnostics.map((d) => d.file)).toEqual(["src/bad.ts"])
      })
    )

    it.effect("the server runs confined: in bubblewrap without network, reading the jobs' root read-only", () =>
      Effect.sync(() => {
        const servers = fs
          .readdirSync("/proc")
          .filter((entry) => /^\d+$/.test(entry))
          .map((pid) => {
            try {
              return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")
            } catch {
              return []
            }
          })
          .filter(
            // This test's server: other processes on the machine may run theirs.
            (args) =>
              args.some((arg) => arg.endsWith("WarmTscServer.ts")) &&
              args.includes(recording.state.root) &&
              path.basename(args[0] ?? "") === "bwrap"
          )
        // bwrap and its init in the new pid namespace share one command line.
        expect(servers.length).toBeGreaterThan(0)
        for (const args of servers) {
          expect(args).toContain("--unshare-net")
          expect(args.some((arg, i) => arg === "--ro-bind" && args[i + 1] === recording.state.root)).toBe(true)
          expect(args.some((arg, i) => arg === "--bind" && args[i + 1] === recording.state.root)).toBe(false)
        }
      })
    )
  })

  // Live: its timeout is real time, not the test clock.
  it.live(
    "a check past its time ends the server, and the next check starts another",
    () =>
      Effect.gen(function* () {
        const dir = workspace({ "tsconfig.json": tsconfig() })
        const change = [added("src/bad.ts", "export const s: string = 2\n")]
        served.length = 0
        const late = yield* check(dir, change, 1)
        expect(served).toEqual([true])
        expect(late.status).toBe("timeout")
        // Killed while bwrap was still setting it up: nothing of it is left.
        expect(yield* runningUnder(recording.state.root)).toEqual([])
        const report = yield* check(dir, change)
        expect(report.status).toBe("failed")
        expect(report.diagnostics.map((d) => [d.file, d.line])).toEqual([["src/bad.ts", 1]])
      }).pipe(Effect.provide(warm)),
    120_000
  )

  // Live: its timeouts are real time. A server is killed at several moments of its start-up,
  // whether or not bwrap has said its sandbox's pid yet.
  it.live(
    "a server killed at any moment of its start-up leaves no process behind",
    () =>
      Effect.gen(function* () {
        const dir = workspace({ "tsconfig.json": tsconfig() })
        const change = [added("src/bad.ts", "export const s: string = 2\n")]
        for (const delay of [1, 5, 15, 40, 100, 200]) {
          const late = yield* check(dir, change, delay)
          expect(late.status).toBe("timeout")
          expect(yield* runningUnder(recording.state.root)).toEqual([])
        }
      }).pipe(Effect.provide(warm)),
    120_000
  )

  it.effect(
    "closing its scope ends every server and removes its root",
    () =>
      Effect.gen(function* () {
        const dir = workspace({ "tsconfig.json": tsconfig() })
        let closedRoot = ""
        yield* Effect.gen(function* () {
          const server = yield* CompileServer
          closedRoot = server.root
          const report = yield* check(dir, [added("src/more.ts", "export const more = 2\n")])
          expect(report.status).toBe("passed")
        }).pipe(
          Effect.provide(
            ProcessTestRunner.layer().pipe(
              Layer.provideMerge(
                Layer.mergeAll(NodeServices.layer, registry, WarmTsc.layer().pipe(Layer.provide(NodeServices.layer)))
              )
            )
          )
        )
        const left = yield* runningUnder(closedRoot)
        expect(closedRoot).not.toBe("")
        expect(left).toEqual([])
        expect(fs.existsSync(closedRoot)).toBe(false)
      }),
    120_000
  )

  it.effect(
    "a run built on the warm layers checks with the warm server; one built alone starts none",
    () =>
      Effect.gen(function* () {
        const dir = workspace({ "tsconfig.json": tsconfig() })
        const change = [added("src/bad.ts", "export const s: string = 2\n")]
        const runner = ProcessTestRunner.layer().pipe(Layer.provide(Layer.mergeAll(NodeServices.layer, languagesLayer)))
        // The server's sandboxes are made in its root: a sandbox inside a sandbox folder.
        const nested = /tamma-sandbox-\d+-\w+\/tamma-sandbox-\d+-\w+\//
        const onWarm = yield* Effect.scoped(
          Effect.gen(function* () {
            const build = yield* warmDefaults
            const tests = Context.get(yield* build(runner), TestRunner)
            return yield* tests.checkStaged({ workspace: dir, language: "typescript", changes: change })
          })
        )
        expect(onWarm.command).toMatch(nested)
        expect(onWarm.diagnostics.map((d) => [d.file, d.line])).toEqual([["src/bad.ts", 1]])
        const alone = yield* check(dir, change).pipe(Effect.provide(runner))
        expect(alone.command).not.toMatch(nested)
        expect(comparable(alone)).toEqual(comparable(onWarm))
      }),
    120_000
  )

  // Live: it waits on real processes.
  it.live(
    "with its one server busy a check runs tsc itself, and a check interrupted mid-way ends its server",
    () =>
      Effect.gen(function* () {
        const slow = workspace({ "tsconfig.json": tsconfig() })
        const quick = workspace({ "tsconfig.json": tsconfig() })
        const slowChange = [added("src/slow.ts", slowToCheck)]
        const quickChange = [added("src/bad.ts", "export const s: string = 2\n")]
        const { answered, state, runner } = recordingServer()
        yield* Effect.gen(function* () {
          for (let round = 0; round < 2; round++) {
            const busy = yield* Effect.forkChild(check(slow, slowChange))
            // Its server started, the check sent: it is busy on the slow file for a minute.
            while ((yield* serversUnder(state.root, Number.POSITIVE_INFINITY)).length === 0)
              yield* Effect.sleep("100 millis")
            yield* Effect.sleep("1 second")
            answered.length = 0
            const report = yield* check(quick, quickChange)
            expect(report.diagnostics.map((d) => [d.file, d.line])).toEqual([["src/bad.ts", 1]])
            // Answered by tsc itself while the slow check still runs, not after it.
            expect(answered).toEqual([false])
            expect(busy.pollUnsafe()).toBeUndefined()
            yield* Fiber.interrupt(busy)
            expect(yield* serversUnder(state.root, 0)).toEqual([])
          }
          answered.length = 0
          const report = yield* check(quick, quickChange)
          expect(answered).toEqual([true])
          expect(report.diagnostics.map((d) => [d.file, d.line])).toEqual([["src/bad.ts", 1]])
          expect((yield* serversUnder(state.root, 1)).length).toBe(1)
        }).pipe(Effect.provide(runner))
        expect(state.root).not.toBe("")
        expect(yield* serversUnder(state.root, 0)).toEqual([])
        expect(yield* runningUnder(state.root)).toEqual([])
      }),
    120_000
  )

  // Live: it kills a real process.
  it.live(
    "a server that dies mid-check is ended and forgotten: tsc itself answers, and the next check starts another",
    () =>
      Effect.gen(function* () {
        const dir = workspace({ "tsconfig.json": tsconfig() })
        const change = [added("src/bad.ts", "export const s: string = 2\n")]
        const { answered, state, runner } = recordingServer()
        yield* Effect.gen(function* () {
          const checking = yield* Effect.forkChild(check(dir, change))
          // Killed as soon as it runs: still loading TypeScript, it has not answered.
          let pids: ReadonlyArray<string> = []
          while (pids.length === 0) {
            yield* Effect.sleep("20 millis")
            pids = yield* serversUnder(state.root, Number.POSITIVE_INFINITY)
          }
          for (const pid of pids) process.kill(Number(pid), "SIGKILL")
          const report = yield* Fiber.join(checking)
          expect(answered).toEqual([false])
          expect(report.diagnostics.map((d) => [d.file, d.line])).toEqual([["src/bad.ts", 1]])
          expect(yield* serversUnder(state.root, 0)).toEqual([])
          answered.length = 0
          const next = yield* check(dir, change)
          expect(answered).toEqual([true])
          expect(next.diagnostics.map((d) => [d.file, d.line])).toEqual([["src/bad.ts", 1]])
        }).pipe(Effect.provide(runner))
        expect(yield* runningUnder(state.root)).toEqual([])
      }),
    120_000
  )
})
