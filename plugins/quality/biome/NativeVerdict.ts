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
 * comments, those equal the wasm build's findings. What it leaves out is the log advices with no
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
import { execFile } from "node:child_process"
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as nodePath from "node:path"
import type { Configuration } from "@biomejs/js-api/nodejs"
import { Option, Schema } from "effect"
import type { QualityIssue } from "../../../core/domain/Quality.ts"
import { hostFolderArgs } from "../../testing/Bubblewrap.ts"
import { findExecutable } from "../../testing/Executables.ts"
import { isError, isSyntax, nativeToIssues } from "./Diagnostics.ts"
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
        location: Schema.optional(Schema.Struct({ start: Schema.optional(Position) })),
        advices: Schema.optional(Schema.Array(Schema.Struct({ text: Schema.optional(Schema.String) })))
      })
    )
  })
)
const decodeReport = Schema.decodeUnknownOption(Report)

const require = createRequire(import.meta.url)

/**
 * The platform packages' binaries, glibc before musl: npm installs only the one whose libc
 * matches. Spelled out whole, so that what the package loads is visible to a reader of its code.
 */
const binaryPackages: Readonly<Record<string, ReadonlyArray<string>>> = {
  x64: ["biome-native-linux-x64/biome", "biome-native-linux-x64-musl/biome"],
  arm64: ["biome-native-linux-arm64/biome", "biome-native-linux-arm64-musl/biome"]
}

/** The native binary for this machine, or undefined (bubblewrap confines on Linux only). */
export const nativeBinary = (): string | undefined => {
  if (process.platform !== "linux") return undefined
  for (const binary of binaryPackages[process.arch] ?? []) {
    try {
      return realpathSync(require.resolve(binary))
    } catch {}
  }
  return undefined
}

/** The system's library folders as the host has them. */
const libraryArgs = (): ReadonlyArray<string> => hostFolderArgs(["/usr", "/lib", "/lib64", "/lib32"])

/**
 * `bwrap`'s arguments up to the command: every namespace new (no network), `folder` at `/work`
 * and `binary` at `/biome`, read-only, nothing else of the host but its libraries, no environment.
 */
export const sandboxArgs = (binary: string, folder: string): ReadonlyArray<string> => [
  "--unshare-all",
  "--die-with-parent",
  "--new-session",
  "--cap-drop",
  "ALL",
  ...libraryArgs(),
  "--ro-bind",
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

/** The extensions the verdict is asked for: a file of another kind (a `biome.json`) could steer the CLI. */
const scriptFile = /\.(?:[cm]?[jt]sx?)$/i

/** How long a CLI run may take and how much it may print before it is stopped. */
export interface Limits {
  readonly timeoutMs: number
  readonly maxOutput: number
}
const defaultLimits: Limits = { timeoutMs: 20_000, maxOutput: 16 * 1024 * 1024 }

/** Where the binary and bubblewrap are. */
export interface Setup {
  readonly binary: string
  readonly bwrap: string
}

/**
 * Where the copy goes: named as the other sandboxes, with our pid, so that the next start removes
 * one left behind by a process killed while the CLI ran (plugins/testing/LeftoverSandboxes.ts).
 */
const sandboxPrefix = () => nodePath.join(os.tmpdir(), `tamma-sandbox-${process.pid}-`)

/** Found once; `undefined` once a run has failed, so a broken setup costs one try per process. */
let setup: Setup | undefined | null = null
/** The binary and bubblewrap of this machine, or `undefined` when either is missing or failed. */
export const currentSetup = (): Setup | undefined => {
  if (setup === null) {
    const binary = nativeBinary()
    const bwrap = findExecutable("bwrap")
    setup = binary === undefined || bwrap === undefined ? undefined : { binary, bwrap }
  }
  return setup
}

/** The configuration as the CLI's file: what the wasm workspace gets, and no `.editorconfig`. */
const configFile = (configuration: Configuration): string =>
  JSON.stringify({
    ...configuration,
    formatter: { ...configuration.formatter, useEditorconfig: false },
    vcs: { enabled: false }
  })

/**
 * The CLI's stdout, whether it exited with 0 (`check` exits with 1 when it found something), and
 * whether it was stopped by a limit (time, output): that says something of the file, not of the
 * setup. `input` goes to its stdin.
 */
const run = (
  bwrap: string,
  args: ReadonlyArray<string>,
  signal: AbortSignal | undefined,
  input = "",
  limits: Limits = defaultLimits
) =>
  new Promise<{ readonly stdout: string; readonly ok: boolean; readonly limited: boolean }>((resolve) => {
    const child = execFile(
      bwrap,
      [...args],
      {
        shell: false,
        env: {},
        timeout: limits.timeoutMs,
        maxBuffer: limits.maxOutput,
        encoding: "utf8",
        signal
      },
      (error, stdout) =>
        resolve({
          stdout,
          ok: error === null,
          limited: error !== null && (error.killed === true || error.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER")
        })
    )
    child.stdin?.on("error", () => {})
    child.stdin?.end(input)
  })

/**
 * Runs the confined CLI over `code` saved under `path`'s name: the verdict, or `undefined` when
 * unknown. `found`'s failure to run turns the native verdict off for the process.
 */
export const ask = async (
  found: Setup,
  code: string,
  path: string,
  configuration: Configuration,
  signal: AbortSignal | undefined,
  limits: Limits = defaultLimits
): Promise<Verdict | undefined> => {
  // Written at once, without waiting on the event loop: the CLI starts before the caller's next
  // synchronous work (the rules' queries) and runs beside it on another core.
  const folder = mkdtempSync(sandboxPrefix())
  try {
    // The file's own name: a rule may care (`.d.ts`, `.tsx`); the extension check keeps it a script.
    const name = nodePath.basename(path)
    writeFileSync(nodePath.join(folder, "biome.json"), configFile(configuration))
    mkdirSync(nodePath.join(folder, "files"))
    writeFileSync(nodePath.join(folder, "files", name), code)
    const args = [...sandboxArgs(found.binary, folder), ...checkArgs([`files/${name}`])]
    const answer = await run(found.bwrap, args, signal, "", limits)
    const report = decodeReport(answer.stdout)
    if (Option.isNone(report)) {
      // Stopped by a limit: this file is too much for a quick verdict, and the wasm thread takes it.
      // Anything else is a sandbox or binary that does not work here: the wasm thread decides from
      // now on (one hostile file must not turn the native check off for every later one).
      if (!answer.limited && signal?.aborted !== true && setup === found) setup = undefined
      return undefined
    }
    const { summary, diagnostics } = report.value
    // The CLI skipped the file (too large, ignored) or left findings out: it did not say it all.
    if (summary.changed + summary.unchanged !== 1 || summary.skipped > 0) return undefined
    if ((summary.diagnosticsNotPrinted ?? 0) > 0) return undefined
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
  } finally {
    // At once: a process that exits (or a worker that is terminated) right after the answer
    // must not leave the copy behind.
    rmSync(folder, { recursive: true, force: true })
  }
}

/**
 * `code` as the native CLI formats it under `configuration` (the wasm build's `formatFile`, same
 * version), or `undefined` when it cannot (no setup, a syntax error, a failed run). Never fails.
 */
export const formatted = (
  code: string,
  path: string,
  configuration: Configuration,
  signal?: AbortSignal
): Promise<string | undefined> => {
  const found = currentSetup()
  if (found === undefined || !scriptFile.test(path)) return Promise.resolve(undefined)
  return printed(found, code, path, configuration, signal).catch(() => undefined)
}

const printed = async (
  found: Setup,
  code: string,
  path: string,
  configuration: Configuration,
  signal: AbortSignal | undefined
): Promise<string | undefined> => {
  const folder = mkdtempSync(sandboxPrefix())
  try {
    writeFileSync(nodePath.join(folder, "biome.json"), configFile(configuration))
    const args = [
      ...sandboxArgs(found.binary, folder),
      "/biome",
      "format",
      "--config-path=/work/biome.json",
      "--colors=off",
      `--stdin-file-path=files/${nodePath.basename(path)}`
    ]
    const { stdout, ok } = await run(found.bwrap, args, signal, code)
    return ok ? stdout : undefined
  } finally {
    // At once: a process that exits (or a worker that is terminated) right after the answer
    // must not leave the copy behind.
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Recent answers by configuration, path and text: a lint and a format check of one file share a run. */
const answers = new Map<string, Promise<Verdict | undefined>>()
const keptAnswers = 16

/**
 * Whether the native CLI finds `code` (at `path`) clean under `configuration` (`key` names it), or
 * `undefined` when it cannot tell. Never fails.
 */
export const verdict = (
  code: string,
  path: string,
  configuration: Configuration,
  key: string,
  signal?: AbortSignal
): Promise<Verdict | undefined> => {
  const current = currentSetup()
  if (current === undefined || !scriptFile.test(path)) return Promise.resolve(undefined)
  const id = `${key}\0${path}\0${code}`
  const known = answers.get(id)
  if (known !== undefined) return known
  const answer = ask(current, code, path, configuration, signal).catch(() => undefined)
  answers.set(id, answer)
  for (const oldest of answers.keys()) {
    if (answers.size <= keptAnswers) break
    answers.delete(oldest)
  }
  return answer
}
