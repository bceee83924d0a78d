/**
 * Biome's native CLI, at the exact version of the wasm build (pinned in package.json; a test in
 * NativeVerdict.test.ts fails when they differ), asked about a file before the wasm thread would
 * be: its lint findings (with assists and syntax), and whether it is formatted. It answers in tens
 * of milliseconds where the wasm thread needs about a second of CPU to start, compile its module
 * and run code V8 has not compiled yet, so a lint or format check never starts the thread while
 * the CLI works. Its JSON report carries each finding's rule, severity, message and exact start
 * (line, and column in code points: converted in SourcePosition.ts), and the advices that have a
 * code frame ("Safe fix: Use const instead."); measured over our own code base, the fixtures, the
 * bench's code base and files with non-ASCII text, CRLF, tabs, parse errors and suppression
 * comments, those equal the wasm build's findings; so do JSON files' (NativeJson.test.ts), but for a
 * few names that would steer the CLI (`wasmOnlyJson`). What it leaves out is the log advices with no
 * code frame, the wasm build's fix hints: a finding without advice text gets its rule's summary
 * instead (RuleSummary.ts). Any doubt (no binary for the platform, no bubblewrap, a failed or
 * unreadable run, a file the CLI skipped, a category we do not know) is "unknown", and the wasm
 * thread decides as before.
 *
 * The file is the workspace's, so untrusted: the CLI sees a copy in a folder of our own with our
 * configuration and nothing else (no `biome.json`, `.editorconfig` or `.gitignore` of the
 * workspace can steer it), runs without a shell or environment, and is confined by bubblewrap: no
 * network, a read-only view of that folder and the system's libraries.
 */
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { Socket } from "node:net"
import * as os from "node:os"
import * as nodePath from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import type { Configuration } from "@biomejs/js-api/nodejs"
import { Option, Schema } from "effect"
import type { QualityIssue } from "../../../core/domain/Quality.ts"
import { hostFolderArgs } from "../../testing/Bubblewrap.ts"
import { entryBeside } from "../thread/ToolThread.ts"
import { isError, isSyntax, nativeToIssues, toolName } from "./Diagnostics.ts"
import { findSetup, type Setup } from "./NativeSetup.ts"
import { ruleSummary } from "./RuleSummary.ts"

/** The CLI's answer about one file: the lint (with assists and syntax), and the layout. */
export interface Verdict {
  readonly lintClean: boolean
  readonly formatClean: boolean
  /** No syntax error: the CLI can print the file's layout. */
  readonly parses: boolean
  /**
   * The lint's findings as issues (encoded), as the wasm build reports them, with fix hints; none
   * for a clean file. `undefined` when the report had a finding of a kind we do not know.
   */
  readonly issues?: ReadonlyArray<typeof QualityIssue.Encoded> | undefined
}

/** The kinds of finding a lint reports, as the wasm build's lint does; `format` is the layout's. */
const lintCategory = /^(?:(?:lint|assist)\/[A-Za-z0-9]+\/[A-Za-z0-9]+|parse|syntax\/.+|suppressions\/[A-Za-z]+)$/

const Position = Schema.Struct({ line: Schema.Number, column: Schema.Number })

const Report = Schema.fromJsonString(
  Schema.Struct({
    summary: Schema.Struct({
      changed: Schema.Number,
      unchanged: Schema.Number,
      skipped: Schema.Number,
      diagnosticsNotPrinted: Schema.optional(Schema.Number)
    }),
    diagnostics: Schema.Array(
      Schema.Struct({
        severity: Schema.String,
        message: Schema.String,
        category: Schema.optional(Schema.String),
        location: Schema.optional(
          Schema.Struct({ path: Schema.optional(Schema.String), start: Schema.optional(Position) })
        ),
        advices: Schema.optional(Schema.Array(Schema.Struct({ text: Schema.optional(Schema.String) })))
      })
    )
  })
)
const decodeReport = Schema.decodeUnknownOption(Report)

export { nativeBinary } from "./NativeSetup.ts"

/** The system's library folders as the host has them. */
const libraryArgs = (): ReadonlyArray<string> => hostFolderArgs(["/usr", "/lib", "/lib64", "/lib32"])

/**
 * `bwrap`'s arguments up to the command: every namespace new (no network), `folder` at `/work`
 * and `binary` at `/biome`, read-only, nothing else of the host but its libraries, no environment.
 */
export const sandboxArgs = (binary: string, folder: string, writable = false): ReadonlyArray<string> => [
  "--unshare-all",
  "--die-with-parent",
  "--new-session",
  "--cap-drop",
  "ALL",
  ...libraryArgs(),
  writable ? "--bind" : "--ro-bind",
  folder,
  "/work",
  "--ro-bind",
  binary,
  "/biome",
  "--dev",
  "/dev",
  "--proc",
  "/proc",
  "--chdir",
  "/work",
  "--clearenv",
  "--"
]

/** The CLI's check of `files` (relative to `/work`) with our configuration only. */
const checkArgs = (files: ReadonlyArray<string>): ReadonlyArray<string> => [
  "/biome",
  "check",
  "--config-path=/work/biome.json",
  "--reporter=json",
  "--max-diagnostics=none",
  // An assist at its own severity (info), as the wasm build reports it, not raised to an error.
  "--enforce-assist=false",
  "--colors=off",
  ...files
]

/** The extensions the verdict is asked for: scripts and JSON, but for the JSON files of `wasmOnlyJson`. */
const askedFile = /\.(?:[cm]?[jt]sx?|jsonc?)$/i

/**
 * JSON files the CLI is not asked about, by name; the wasm thread checks them. Each file is saved
 * as `files/<index>/<basename>`, alone in its folder, so what Biome reads from a file's name steers
 * that folder only, which holds the file alone, but not every such name is harmless:
 * - `biome.json` and `biome.jsonc` are read as a nested configuration of their folder, not checked
 *   as JSON: one without `"root": false` or with an unknown key failed the whole run (every file
 *   of it then unknown), one with `"root": false` turned its own checks off or left itself out of
 *   the run. `.biome.json` and `.biome.jsonc` are not read (2.5.14), kept out all the same.
 * - The lockfiles `package-lock.json` and `npm-shrinkwrap.json` are protected: the CLI skips
 *   them, which would send every other file of their run to be asked about alone.
 * - A `.json` file in a `.vscode` or `.zed` folder takes comments by its folder's name, which the
 *   copy does not keep: a file in any dot folder is checked by the thread.
 * A `package.json` is read as the manifest of the files of its folder (with `"type": "commonjs"`
 * it made a `.js` file beside it a script, with other findings), and a `tsconfig.json` as theirs:
 * in its own folder, either affects only itself, and the files of the same run in other folders
 * were found the same with or without them. Both, and a tsconfig's comments and trailing commas
 * (Biome reads it as JSONC by its name, which the copy keeps), answer as in the wasm build
 * (NativeJson.test.ts).
 */
const wasmOnlyJson = (path: string): boolean => {
  const name = nodePath.basename(path).toLowerCase()
  if (!/\.jsonc?$/.test(name)) return false
  const folder = nodePath.basename(nodePath.dirname(path))
  return (
    /^\.?biome\.jsonc?$/.test(name) ||
    name === "package-lock.json" ||
    name === "npm-shrinkwrap.json" ||
    (folder.startsWith(".") && folder !== "." && folder !== "..")
  )
}

/** Whether the CLI is asked about the file at `path` (by its name and folder). */
export const askable = (path: string): boolean => askedFile.test(path) && !wasmOnlyJson(path)

/** How long a CLI run may take and how much it may print before it is stopped. */
export interface Limits {
  readonly timeoutMs: number
  readonly maxOutput: number
}
const defaultLimits: Limits = { timeoutMs: 20_000, maxOutput: 16 * 1024 * 1024 }

export type { Setup } from "./NativeSetup.ts"

/**
 * Where the copy goes: named as the other sandboxes, with our pid, so that the next start removes
 * one left behind by a process killed while the CLI ran (plugins/testing/LeftoverSandboxes.ts).
 */
const sandboxPrefix = () => nodePath.join(os.tmpdir(), `tamma-sandbox-${process.pid}-`)

/** Found once; `undefined` once a run and a probe of a clean file failed: a broken setup costs one try. */
let setup: Setup | undefined | null = null
/** The binary and bubblewrap of this machine, or `undefined` when either is missing or failed. */
export const currentSetup = (): Setup | undefined => {
  if (setup === null) setup = findSetup()
  return setup
}

/** The configuration as the CLI's file: what the wasm workspace gets, and no `.editorconfig`. */
const configFile = (configuration: Configuration): string =>
  JSON.stringify({
    ...configuration,
    formatter: { ...configuration.formatter, useEditorconfig: false },
    vcs: { enabled: false }
  })

/** What a run of the CLI gave. */
interface RunAnswer {
  readonly stdout: string
  readonly ok: boolean
  readonly limited: boolean
}

const SpawnerAnswer = Schema.fromJsonString(
  Schema.Struct({ id: Schema.Number, stdout: Schema.String, ok: Schema.Boolean, limited: Schema.Boolean })
)
const decodeSpawnerAnswer = Schema.decodeUnknownOption(SpawnerAnswer)

/** The small process that starts runs (NativeSpawner.ts), and the runs it owes an answer. */
interface Spawner {
  readonly requests: Socket
  readonly answers: Socket
  readonly pending: Map<number, (answer: RunAnswer | undefined) => void>
}

/**
 * Started on first use, and again after it ended. Runs start only from it, never from this
 * process: it ends its runs whole when this process ends, however (NativeSpawner.ts).
 */
let spawner: Spawner | undefined | null = null
let nextRun = 0

const startSpawner = (): Spawner | undefined => {
  const entry = fileURLToPath(entryBeside(import.meta.url, "NativeSpawner"))
  const child = spawn(process.execPath, [entry], { stdio: ["pipe", "pipe", "ignore"], env: {}, shell: false })
  const { stdin, stdout } = child
  if (!(stdin instanceof Socket) || !(stdout instanceof Socket)) {
    child.kill()
    return undefined
  }
  const started: Spawner = { requests: stdin, answers: stdout, pending: new Map() }
  // Idle, it keeps no process alive; a run it owes refs its answers' pipe (see `run`).
  child.unref()
  stdin.unref()
  stdout.unref()
  stdin.on("error", () => {})
  const ended = () => {
    if (spawner === started) spawner = null
    for (const resolve of started.pending.values()) resolve(undefined)
    started.pending.clear()
  }
  child.on("error", ended)
  child.on("exit", ended)
  createInterface({ input: stdout }).on("line", (line) => {
    const answer = decodeSpawnerAnswer(line)
    if (Option.isNone(answer)) return
    const { id, ...result } = answer.value
    const resolve = started.pending.get(id)
    started.pending.delete(id)
    if (started.pending.size === 0) stdout.unref()
    resolve?.(result)
  })
  return started
}

/**
 * CLI processes at once, in the whole process: shared runs, and the runs that ask about their
 * files alone after a limit, wait for a slot alike (retries all at once, up to 32 sandboxes, made
 * ordinary files time out on a busy machine). A freed slot passes straight to the next waiting run.
 */
const maxProcesses = 2
let processes = 0
let peakProcesses = 0
const waitingForSlot: Array<() => void> = []

/** The most CLI processes that ran at once so far in this process. */
export const peakRuns = (): number => peakProcesses

const run = async (...request: Parameters<typeof runOnce>): Promise<RunAnswer> => {
  if (processes >= maxProcesses) await new Promise<void>((resolve) => waitingForSlot.push(resolve))
  else processes++
  peakProcesses = Math.max(peakProcesses, processes)
  try {
    return await runOnce(...request)
  } finally {
    const next = waitingForSlot.shift()
    if (next === undefined) processes--
    else next()
  }
}

/** A run that did not happen or said nothing: the caller's probe of a clean file decides what it means. */
const failed: RunAnswer = { stdout: "", ok: false, limited: false }

/** A run of `bwrap` with `args` by the spawner process (a fork of this process costs more than the run). */
const runOnce = (
  bwrap: string,
  args: ReadonlyArray<string>,
  signal: AbortSignal | undefined,
  input = "",
  limits: Limits = defaultLimits
): Promise<RunAnswer> => {
  if (signal?.aborted === true) return Promise.resolve({ ...failed, limited: true })
  if (spawner === null) spawner = startSpawner()
  const current = spawner
  if (current === undefined) return Promise.resolve(failed)
  return new Promise<RunAnswer>((resolve) => {
    const id = nextRun++
    const abort = () => current.requests.write(`${JSON.stringify({ id, abort: true })}\n`)
    current.pending.set(id, (answer) => {
      signal?.removeEventListener("abort", abort)
      if (answer !== undefined) resolve(answer)
      else resolve(signal?.aborted === true ? { ...failed, limited: true } : failed)
    })
    current.answers.ref()
    signal?.addEventListener("abort", abort, { once: true })
    const request = { id, command: bwrap, args, input, timeoutMs: limits.timeoutMs, maxOutput: limits.maxOutput }
    current.requests.write(`${JSON.stringify(request)}\n`)
  })
}

/** A file to ask about: its text and the path whose name it is saved under. */
export interface Asked {
  readonly code: string
  readonly path: string
}

/** The diagnostics the CLI reported for one file, as the report decodes. */
type Diagnostics = (typeof Report.Type)["diagnostics"]

/** The verdict on `code` from its diagnostics in the report. */
const verdictOf = (code: string, diagnostics: Diagnostics): Verdict => {
  const reported = diagnostics.filter((diagnostic) => diagnostic.category !== "format")
  const known = reported.every((diagnostic) => lintCategory.test(diagnostic.category ?? ""))
  const adviceOf = (diagnostic: (typeof reported)[number]) => {
    const texts = (diagnostic.advices ?? []).flatMap((advice) => (advice.text ? [advice.text] : []))
    return texts.length === 0 ? undefined : texts.join(" ")
  }
  return {
    lintClean: reported.length === 0,
    formatClean: diagnostics.every((diagnostic) => diagnostic.category !== "format"),
    parses: !reported.some((diagnostic) => isSyntax(diagnostic) && isError(diagnostic)),
    issues: known ? nativeToIssues(code, reported, (d) => adviceOf(d) ?? ruleSummary(d.category ?? "")) : undefined
  }
}

/**
 * The verdict on a file the CLI could not lint within `limits`: one finding that says so, and no
 * layout finding. Biome's time grows with the square of a file's findings (a finding on each of
 * 8,000 lines took 11 s of CPU, 20,000 lines about 107 s, in the native CLI and the wasm build
 * alike; 16,000 clean lines take 0.8 s), so a file full of findings could hold a check for minutes.
 * It is not handed to the wasm thread, which would take longer still, and the bound is time, not
 * size: a long file that is mostly clean is linted as any other. A file nobody could check cannot
 * pass: it counts as unformatted and unparsed, and its finding is a syntax error, which the gate
 * fails whatever the score (a warning left a flood of findings, `eval` and a syntax error passing).
 */
const notLintedRule = "biome/not-linted"
const notLinted = (code: string, limits: Limits): Verdict => ({
  lintClean: false,
  formatClean: false,
  parses: false,
  issues: [
    {
      severity: "error",
      category: "syntax",
      rule: notLintedRule,
      message: `Biome did not lint this file (${code.split("\n").length} lines): it needed more than ${limits.timeoutMs / 1000} s or ${Math.round(limits.maxOutput / 1024)} KiB of findings`,
      line: 1,
      column: 1,
      tool: toolName,
      fix: "split the file, or fix the findings it repeats (each costs more the more there are)"
    }
  ]
})

/** Whether `found` still answers about a clean file under a plain configuration, as on a working setup. */
const works = async (found: Setup, signal: AbortSignal | undefined): Promise<boolean> => {
  const folder = mkdtempSync(sandboxPrefix())
  try {
    writeFileSync(nodePath.join(folder, "biome.json"), configFile({}))
    writeFileSync(nodePath.join(folder, "probe.ts"), "export const x = 1\n")
    const answer = await run(found.bwrap, [...sandboxArgs(found.binary, folder), ...checkArgs(["probe.ts"])], signal)
    // Asked to stop: the probe says nothing of the setup.
    return signal?.aborted === true || Option.isSome(decodeReport(answer.stdout))
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/**
 * Runs the confined CLI once over `files`, each saved under its path's name in a folder of its
 * own: their verdicts in order, `undefined` where unknown. A run that says less than all about
 * several files (one of them hit a limit, was skipped) asks about each alone. `found`'s failure
 * to run turns the native verdict off for the process.
 */
export const askMany = async (
  found: Setup,
  files: ReadonlyArray<Asked>,
  configuration: Configuration,
  signal: AbortSignal | undefined,
  limits: Limits = defaultLimits
): Promise<ReadonlyArray<Verdict | undefined>> => {
  const unknown = () => files.map(() => undefined)
  const eachAlone = () =>
    files.length === 1
      ? Promise.resolve(unknown())
      : Promise.all(files.map((file) => askMany(found, [file], configuration, signal, limits).then(([one]) => one)))
  // Written at once, without waiting on the event loop: the CLI starts before the caller's next
  // synchronous work (the rules' queries) and runs beside it on another core.
  const folder = mkdtempSync(sandboxPrefix())
  let answer: { readonly stdout: string; readonly limited: boolean }
  // The files' own names: a rule may care (`.d.ts`, `.tsx`, `tsconfig.json`); `askable` keeps out those that steer.
  const names = files.map((file, index) => `files/${index}/${nodePath.basename(file.path)}`)
  try {
    writeFileSync(nodePath.join(folder, "biome.json"), configFile(configuration))
    files.forEach((file, index) => {
      mkdirSync(nodePath.join(folder, "files", String(index)), { recursive: true })
      writeFileSync(nodePath.join(folder, names[index] ?? ""), file.code)
    })
    const args = [...sandboxArgs(found.binary, folder), ...checkArgs(names)]
    // One file's output limit for the whole run: its answer crosses the spawner's pipe as one JSON
    // string (hundreds of MiB would pass V8's limit), and a run over it asks about each file alone.
    answer = await run(found.bwrap, args, signal, "", limits)
  } finally {
    // At once: a process that exits (or a worker that is terminated) right after the answer
    // must not leave the copy behind.
    rmSync(folder, { recursive: true, force: true })
  }
  // Asked to stop: whatever came back (a run that ended before the kill) is not wanted.
  if (signal?.aborted === true) return unknown()
  const report = decodeReport(answer.stdout)
  if (Option.isNone(report)) {
    // Stopped by a limit: some file is too much for the CLI, and each is asked about alone; a
    // file that is too much alone is not linted (see `notLinted`). Anything else is unknown for
    // this run, and the wasm thread takes it; the native check goes off for the process only
    // when a known-good file fails too (one hostile file must not turn it off for every later one).
    if (answer.limited) {
      return files.length === 1 ? files.map((file) => notLinted(file.code, limits)) : eachAlone()
    }
    if (setup === found && !(await works(found, signal))) setup = undefined
    return unknown()
  }
  const { summary, diagnostics } = report.value
  // The CLI skipped a file (too large, ignored) or left findings out: it did not say it all.
  const whole =
    summary.changed + summary.unchanged === files.length &&
    summary.skipped === 0 &&
    (summary.diagnosticsNotPrinted ?? 0) === 0
  const byName = new Map(names.map((name): [string, Array<Diagnostics[number]>] => [name, []]))
  for (const diagnostic of diagnostics) {
    // One file's diagnostics are its own, wherever they say they are.
    const own = files.length === 1 ? byName.get(names[0] ?? "") : byName.get(diagnostic.location?.path ?? "")
    if (own === undefined) return eachAlone()
    own.push(diagnostic)
  }
  if (!whole) return eachAlone()
  return files.map((file, index) => verdictOf(file.code, byName.get(names[index] ?? "") ?? []))
}

/**
 * Runs the confined CLI over `code` saved under `path`'s name: the verdict, or `undefined` when
 * unknown. `found`'s failure to run turns the native verdict off for the process.
 */
export const ask = (
  found: Setup,
  code: string,
  path: string,
  configuration: Configuration,
  signal: AbortSignal | undefined,
  limits: Limits = defaultLimits
): Promise<Verdict | undefined> => askMany(found, [{ code, path }], configuration, signal, limits).then(([one]) => one)

/**
 * The files as the native CLI formats them under `configuration` (the wasm build's `formatFile`,
 * same version), in one run that rewrites copies of them in a folder of our own: their texts in
 * order, `undefined` for each when the run fails (a syntax error, a limit).
 */
export const printMany = async (
  found: Setup,
  files: ReadonlyArray<Asked>,
  configuration: Configuration,
  signal: AbortSignal | undefined,
  limits: Limits = defaultLimits
): Promise<ReadonlyArray<string | undefined>> => {
  const folder = mkdtempSync(sandboxPrefix())
  const names = files.map((file, index) => `files/${index}/${nodePath.basename(file.path)}`)
  const answered = await (async () => {
    try {
      writeFileSync(nodePath.join(folder, "biome.json"), configFile(configuration))
      files.forEach((file, index) => {
        mkdirSync(nodePath.join(folder, "files", String(index)), { recursive: true })
        writeFileSync(nodePath.join(folder, names[index] ?? ""), file.code)
      })
      const args = [
        ...sandboxArgs(found.binary, folder, true),
        "/biome",
        "format",
        "--write",
        "--config-path=/work/biome.json",
        "--reporter=json",
        "--colors=off",
        ...names
      ]
      const { stdout, ok } = await run(found.bwrap, args, signal, "", limits)
      const report = decodeReport(stdout)
      // Every file formatted, none skipped (too large, ignored): its copy now holds the layout.
      const whole =
        Option.isSome(report) &&
        report.value.summary.changed + report.value.summary.unchanged === files.length &&
        report.value.summary.skipped === 0
      return ok && whole ? names.map((name) => readFileSync(nodePath.join(folder, name), "utf8")) : undefined
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })()
  if (answered !== undefined) return answered
  // One file that cannot be formatted (a syntax error) leaves the others unanswered: each alone.
  if (files.length === 1 || signal?.aborted === true) return files.map(() => undefined)
  return Promise.all(files.map((file) => printMany(found, [file], configuration, signal, limits).then(([one]) => one)))
}

/** A file waiting for a run, with who to tell. */
interface Waiting<A> extends Asked {
  readonly signal: AbortSignal | undefined
  readonly resolve: (answer: A | undefined) => void
}

/**
 * The files of one configuration waiting for a run. At most `maxRunning` runs go at once; files
 * asked about meanwhile go together in the next one. A file asked about while nothing runs starts
 * a run at once, and a check of many files (`validate`) needs a few processes instead of one per
 * file: their start, a fork of this process each, was most of the native check's cost.
 */
interface Queue<A> {
  readonly configuration: Configuration
  readonly waiting: Array<Waiting<A>>
  running: number
}
const maxRunning = 2
const maxBatch = 32

/** A signal that aborts once every one of `signals` has (never, if one is missing). */
const allAborted = (signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal | undefined => {
  if (signals.some((signal) => signal === undefined)) return undefined
  const controller = new AbortController()
  let left = signals.length
  for (const signal of signals) {
    if (signal === undefined) continue
    const count = () => {
      if (--left === 0) controller.abort()
    }
    if (signal.aborted) count()
    else signal.addEventListener("abort", count, { once: true })
  }
  return controller.signal
}

/** `runMany` for one file at a time, its files gathered into shared runs per configuration. */
const batched = <A>(
  runMany: (
    found: Setup,
    files: ReadonlyArray<Asked>,
    configuration: Configuration,
    signal: AbortSignal | undefined
  ) => Promise<ReadonlyArray<A | undefined>>
) => {
  const queues = new Map<string, Queue<A>>()
  const pump = (key: string, queue: Queue<A>): void => {
    while (queue.running < maxRunning && queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, maxBatch)
      const found = currentSetup()
      queue.running++
      const answers =
        found === undefined
          ? Promise.resolve(batch.map(() => undefined))
          : runMany(found, batch, queue.configuration, allAborted(batch.map((waiting) => waiting.signal))).catch(() =>
              batch.map(() => undefined)
            )
      void answers.then((answered) => {
        for (const [index, waiting] of batch.entries()) waiting.resolve(answered[index])
        queue.running--
        if (queue.running === 0 && queue.waiting.length === 0) queues.delete(key)
        else pump(key, queue)
      })
    }
  }
  return (key: string, configuration: Configuration, asked: Asked, signal: AbortSignal | undefined) =>
    new Promise<A | undefined>((resolve) => {
      const queue = queues.get(key) ?? { configuration, waiting: [], running: 0 }
      queues.set(key, queue)
      queue.waiting.push({ ...asked, signal, resolve })
      pump(key, queue)
    })
}

const printedInBatch = batched(printMany)

/**
 * `code` as the native CLI formats it under `configuration` (`key` names it), or `undefined` when
 * it cannot (no setup, a syntax error, a failed run). Never fails.
 */
export const formatted = (
  code: string,
  path: string,
  configuration: Configuration,
  key: string,
  signal?: AbortSignal
): Promise<string | undefined> => {
  if (currentSetup() === undefined || !askable(path)) return Promise.resolve(undefined)
  return printedInBatch(key, configuration, { code, path }, signal)
}

/** Recent answers by configuration, path and text: a lint and a format check of one file share a run. */
const answers = new Map<string, Promise<Verdict | undefined>>()
const keptAnswers = 64

const verdictInBatch = batched(askMany)

/**
 * The native CLI's verdict on `code` (at `path`) under `configuration` (`key` names it), or
 * `undefined` when it cannot tell. Never fails.
 */
export const verdict = (
  code: string,
  path: string,
  configuration: Configuration,
  key: string,
  signal?: AbortSignal
): Promise<Verdict | undefined> => {
  if (currentSetup() === undefined || !askable(path)) return Promise.resolve(undefined)
  const id = `${key}\0${path}\0${code}`
  const known = answers.get(id)
  if (known !== undefined) return known
  const answer = verdictInBatch(key, configuration, { code, path }, signal)
  answers.set(id, answer)
  // A limit says as much of the machine's load as of the file: the next ask runs it again.
  void answer.then((answered) => {
    const limited = answered?.issues?.some((issue) => issue.rule === notLintedRule) ?? false
    if (limited && answers.get(id) === answer) answers.delete(id)
  })
  for (const oldest of answers.keys()) {
    if (answers.size <= keptAnswers) break
    answers.delete(oldest)
  }
  return answer
}
