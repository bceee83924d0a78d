/**
 * TestRunner over real child processes: no shell, the working directory inside the workspace,
 * a timeout that kills the whole process group, capped output, and an environment without
 * provider keys.
 */
import * as fs from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { Clock, Duration, Effect, Layer, Option, Stream } from "effect"
import { ChildProcess, ChildProcessSpawner } from "effect/process"
import { TestCase, TestReport } from "../../core/domain/TestReport.ts"
import { TestRunError } from "../../core/errors.ts"
import type { StagedChange } from "../../core/services/FileManager.ts"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { type RunTestsOptions, type TestFramework, TestRunner } from "../../core/services/TestRunner.ts"
import { frameworksByLanguage } from "./frameworks/Frameworks.ts"
import { stagedSandbox } from "./Sandbox.ts"

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

export const ProcessTestRunner = {
  /** Frameworks default to the built-in table; pass your own to add or replace them. */
  layer: (frameworks: Readonly<Record<string, ReadonlyArray<TestFramework>>> = frameworksByLanguage) =>
    Layer.effect(
      TestRunner,
      Effect.gen(function* () {
        const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
        const registry = yield* LanguageRegistry

        const pick = Effect.fnUntraced(function* (workspace: string, language: string) {
          const id = Option.match(yield* Effect.option(registry.get(language)), {
            onNone: () => language,
            onSome: (pack) => pack.id
          })
          const candidates = frameworks[id] ?? []
          for (const framework of candidates) if (yield* framework.detect(workspace)) return framework
          const fallback = candidates[0]
          if (fallback === undefined)
            return yield* new TestRunError({ framework: id, detail: "no test framework for this language" })
          return fallback
        })

        const run = Effect.fn("TestRunner.run")(function* (options: RunTestsOptions) {
          const framework = yield* pick(options.workspace, options.language)
          const scratch = yield* Effect.acquireRelease(
            Effect.promise(() => fs.mkdtemp(path.join(os.tmpdir(), "tamma-tests-"))),
            (dir) => Effect.promise(() => fs.rm(dir, { recursive: true, force: true }))
          )
          const reportFile = path.join(scratch, "report")
          const spec = framework.command({ workspace: options.workspace, files: options.files ?? [], reportFile })
          const commandLine = [spec.command, ...spec.args].join(" ")
          const started = yield* Clock.currentTimeMillis
          const outcome = yield* Effect.gen(function* () {
            const handle = yield* spawner.spawn(
              ChildProcess.make(spec.command, [...spec.args], {
                cwd: options.workspace,
                env: sandboxEnvironment(spec.env),
                extendEnv: false,
                forceKillAfter: Duration.seconds(2)
              })
            )
            const [stdout, stderr, exitCode] = yield* Effect.all(
              [collect(handle.stdout), collect(handle.stderr), handle.exitCode],
              {
                concurrency: "unbounded"
              }
            )
            return { stdout, stderr, exitCode: Number(exitCode) }
          }).pipe(
            Effect.scoped,
            Effect.timeoutOption(Duration.millis(options.timeoutMs ?? 120_000)),
            Effect.mapError(
              (error) => new TestRunError({ framework: framework.name, detail: `${commandLine}: ${String(error)}` })
            )
          )
          const durationMs = (yield* Clock.currentTimeMillis) - started
          if (Option.isNone(outcome)) {
            return new TestReport({
              framework: framework.name,
              status: "timeout",
              passed: 0,
              failed: 0,
              skipped: 0,
              durationMs,
              cases: [],
              command: commandLine,
              output: `killed after ${options.timeoutMs ?? 120_000} ms`
            })
          }
          const { stdout, stderr, exitCode } = outcome.value
          const report = yield* Effect.promise(() => fs.readFile(reportFile, "utf8").catch(() => undefined))
          const parsed = framework.parse({ stdout, stderr, report, exitCode })
          return new TestReport({
            ...parsed,
            framework: framework.name,
            durationMs,
            command: commandLine,
            output: `${stdout}\n${stderr}`.trim().slice(-8192)
          })
        }, Effect.scoped)

        const runStaged = Effect.fn("TestRunner.runStaged")(function* (
          options: RunTestsOptions & { readonly changes: ReadonlyArray<StagedChange> }
        ) {
          const sandbox = yield* stagedSandbox(options.workspace, options.changes)
          const report = yield* run({ ...options, workspace: sandbox })
          // Paths in the report point into the sandbox, which is gone after this: make them relative.
          return new TestReport({
            ...report,
            cases: report.cases.map((c) =>
              c.file?.startsWith(sandbox) === true ? new TestCase({ ...c, file: path.relative(sandbox, c.file) }) : c
            )
          })
        }, Effect.scoped)

        return TestRunner.of({ run, runStaged })
      })
    )
}
