/**
 * TestRunner over real child processes: no shell, the working directory inside the workspace,
 * a timeout that kills the whole process group, capped output, and an environment without
 * provider keys.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Clock, Effect, Layer, Option } from "effect"
import { ChildProcessSpawner } from "effect/process"
import { type CompileDiagnostic, CompileReport } from "../../core/domain/CompileReport.ts"
import { TestCase, TestReport } from "../../core/domain/TestReport.ts"
import { TestRunError } from "../../core/errors.ts"
import type { StagedChange } from "../../core/services/FileManager.ts"
import { LanguageRegistry } from "../../core/services/LanguageRegistry.ts"
import { type RunTestsOptions, type TestFramework, TestRunner } from "../../core/services/TestRunner.ts"
import { runCompileCheck } from "./CompileRun.ts"
import { CompileServer } from "./CompileServer.ts"
import { confinedScratch, type Isolation, runConfined } from "./Confinement.ts"
import { stagedSandbox } from "./Sandbox.ts"

export const ProcessTestRunner = {
  /**
   * Each language's frameworks are its pack's `testFrameworks`; `frameworks` replaces them for the
   * languages it names. `isolation` comes from trusted configuration only, never from the workspace.
   */
  layer: (
    frameworks: Readonly<Record<string, ReadonlyArray<TestFramework>>> = {},
    options: { readonly isolation?: Isolation } = {}
  ) =>
    Layer.effect(
      TestRunner,
      Effect.gen(function* () {
        const spawner = yield* ChildProcessSpawner.ChildProcessSpawner
        const registry = yield* LanguageRegistry
        const isolation = options.isolation ?? "sandbox"
        // A long-lived process (a cluster worker) keeps a compiler warm; a single run starts none.
        const server = Option.getOrUndefined(yield* Effect.serviceOption(CompileServer))

        const pick = Effect.fnUntraced(function* (workspace: string, language: string) {
          const pack = Option.getOrUndefined(yield* Effect.option(registry.get(language)))
          const id = pack?.id ?? language
          const candidates = frameworks[id] ?? pack?.testFrameworks ?? []
          for (const framework of candidates) if (yield* framework.detect(workspace)) return framework
          const fallback = candidates[0]
          if (fallback === undefined)
            return yield* new TestRunError({ framework: id, detail: "no test framework for this language" })
          return fallback
        })

        const run = Effect.fn("TestRunner.run")(function* (options: RunTestsOptions) {
          const framework = yield* pick(options.workspace, options.language)
          // A runner that is not installed is said so before anything starts, never read as "0 failed".
          if (framework.runner !== undefined) yield* framework.runner(options.workspace)
          const scratch = yield* confinedScratch
          const reportFile = path.join(scratch, "report")
          const spec = framework.command({ workspace: options.workspace, files: options.files ?? [], reportFile })
          const commandLine = [spec.command, ...spec.args].join(" ")
          const started = yield* Clock.currentTimeMillis
          const outcome = yield* runConfined({
            label: framework.name,
            command: spec.command,
            args: spec.args,
            sandbox: options.workspace,
            scratch,
            env: spec.env,
            timeoutMs: options.timeoutMs ?? 120_000,
            isolation
          }).pipe(Effect.provideService(ChildProcessSpawner.ChildProcessSpawner, spawner))
          const durationMs = (yield* Clock.currentTimeMillis) - started
          if (outcome._tag === "TimedOut") {
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
          const { stdout, stderr, exitCode } = outcome
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
            cases: report.cases.map(
              (c) =>
                new TestCase({
                  ...c,
                  file: c.file?.startsWith(sandbox) === true ? path.relative(sandbox, c.file) : c.file,
                  message: c.message?.replaceAll(`${sandbox}/`, "")
                })
            )
          })
        }, Effect.scoped)

        const checkStaged = Effect.fn("TestRunner.checkStaged")(function* (options: {
          readonly workspace: string
          readonly language: string
          readonly changes: ReadonlyArray<StagedChange>
          readonly timeoutMs?: number
        }) {
          const pack = yield* Effect.option(registry.get(options.language))
          const check = Option.getOrUndefined(pack)?.compileCheck
          const extensions = Option.match(pack, { onNone: () => [], onSome: (p) => p.extensions })
          const files = options.changes
            .filter((c) => c.after !== undefined && extensions.some((extension) => c.path.endsWith(extension)))
            .map((c) => c.path)
          const skipped = (tool: string, why: string) =>
            new CompileReport({ tool, status: "skipped", diagnostics: [], command: "", output: why, durationMs: 0 })
          if (check === undefined) return skipped(options.language, "no compile check for this language")
          if (files.length === 0) return skipped(check.name, "no file of this language in the change")
          const timeoutMs = options.timeoutMs ?? 120_000
          const compile = (changes: ReadonlyArray<StagedChange>) =>
            Effect.gen(function* () {
              const sandbox = yield* stagedSandbox(options.workspace, changes, server?.root)
              return yield* runCompileCheck({ check, sandbox, files, timeoutMs, isolation, server })
            }).pipe(Effect.scoped, Effect.provideService(ChildProcessSpawner.ChildProcessSpawner, spawner))
          const report = yield* compile(options.changes)
          const inChange = (d: CompileDiagnostic) => d.file !== undefined && files.includes(d.file)
          if (report.status !== "failed" || report.diagnostics.every(inChange)) return report
          // Errors in files the change did not touch: those the workspace already had are not the change's.
          const before = yield* compile([])
          const key = (d: CompileDiagnostic) => `${d.file}:${d.message}`
          const known = new Set(before.status === "failed" ? before.diagnostics.map(key) : [])
          const introduced = report.diagnostics.filter((d) => inChange(d) || !known.has(key(d)))
          if (introduced.length > 0) return new CompileReport({ ...report, diagnostics: introduced })
          // Nothing new: the workspace fails this check without the change too, so it proves nothing.
          return new CompileReport({
            ...report,
            status: "skipped",
            output: `the workspace fails ${check.name} without the change too:\n${report.output}`
          })
        })

        return TestRunner.of({ run, runStaged, checkStaged })
      })
    )
}
