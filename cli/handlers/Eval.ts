/**
 * The handler of `eval`: loads the suites, runs their tasks with bounded concurrency, shows
 * progress and the table, writes the report, and compares it with a baseline.
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Console, Effect, Option, Schema } from "effect"
import { ConfigInvalidError } from "../../core/errors.ts"
import { decodeBaseline, regressions } from "../../plugins/eval/Baseline.ts"
import type { CassetteMode } from "../../plugins/eval/Cassette.ts"
import { renderHtml } from "../../plugins/eval/EvalHtml.ts"
import { EvalReport, reportOf, type TaskReport } from "../../plugins/eval/EvalReport.ts"
import { loadSuite } from "../../plugins/eval/EvalTask.ts"
import { modeOf, runTasks, type Wiring } from "../../plugins/eval/TaskRun.ts"
import { preloadBuiltinPacks } from "../../plugins/templates/store/FileTemplateStore.ts"
import * as NodePipeline from "../../presets/NodePipeline.ts"
import { warmDefaults, warmLanguages } from "../../presets/WarmLayers.ts"
import { CommandFailed, SettledExit, UsageError } from "../CliErrors.ts"
import { loadRunConfig } from "../ConfigTrust.ts"
import type { EvalFlags } from "../commands/Eval.ts"
import { progressBar, renderEvalReport, taskLine } from "../EvalRender.ts"
import { printJson } from "../JsonOutput.ts"
import { jsonText, visible } from "../TerminalText.ts"

const encodeReport = Schema.encodeSync(EvalReport)

const modeOfFlags = (flags: EvalFlags) =>
  Effect.gen(function* () {
    const chosen = (["record", "replay", "live"] as const).filter((mode) => flags[mode])
    if (chosen.length > 1) {
      return yield* new UsageError({ detail: `--${chosen.join(", --")}: choose one of --record, --replay, --live` })
    }
    const mode: CassetteMode | undefined = chosen[0]
    return mode
  })

const readBaseline = Effect.fnUntraced(function* (file: string) {
  const text = yield* Effect.tryPromise({
    try: () => fs.readFile(file, "utf8"),
    catch: (error) => new ConfigInvalidError({ source: file, details: String(error) })
  })
  return yield* decodeBaseline(text).pipe(
    Effect.mapError((error) => new ConfigInvalidError({ source: file, details: error.message }))
  )
})

export const runEval = Effect.fn("cli.eval")(function* (flags: EvalFlags) {
  const mode = yield* modeOfFlags(flags)
  if (flags.concurrency < 1) return yield* new UsageError({ detail: "--concurrency must be 1 or more" })
  const suite = yield* loadSuite(flags.suites, Option.getOrUndefined(flags.task))
  const baseline = Option.isSome(flags.baseline) ? yield* readBaseline(flags.baseline.value) : undefined
  if (mode === "replay") {
    const without = suite.tasks.filter((task) => !task.hasCassette).map((task) => task.spec.id)
    if (without.length > 0) {
      return yield* new ConfigInvalidError({
        source: flags.suites.join(" "),
        details: `--replay, but these tasks have no cassette.jsonl: ${without.join(", ")}`
      })
    }
  }

  const warned = new Set<string>()
  const wiring: Wiring = {
    // Each task owns its scratch copy alone: no lock, nothing to recover.
    pipelineLayer: (workspace, config, onProgress, ai) =>
      NodePipeline.layerUnlocked(workspace, config, { onProgress, ai }),
    aiLayer: NodePipeline.aiLayer,
    // Before the first task, as the tools are built: the built-in templates are read for the
    // process, and the formatters and linters of the suite's languages loaded.
    warm: Effect.tap(warmDefaults, (build) =>
      Effect.andThen(
        Effect.ignore(preloadBuiltinPacks()),
        warmLanguages(
          build,
          suite.tasks.map((task) => task.spec.language)
        )
      )
    ),
    loadConfig: (workspace) =>
      Effect.gen(function* () {
        const { config, warnings } = yield* loadRunConfig(workspace, {
          allowDirty: false,
          provider: Option.getOrUndefined(flags.provider),
          model: Option.getOrUndefined(flags.model),
          baseUrl: Option.getOrUndefined(flags.baseUrl)
        })
        for (const warning of warnings) {
          if (warned.has(warning)) continue
          warned.add(warning)
          yield* Console.error(`warning: ${visible(warning)}`)
        }
        return config
      })
  }

  const total = suite.tasks.length
  const tty = process.stderr.isTTY === true
  let done = 0
  const running = new Set<string>()
  const bar = () =>
    tty
      ? Effect.sync(() =>
          process.stderr.write(
            `\r\u001b[K${progressBar(done, total)} ${visible([...running].join(", ")).slice(0, Math.max(10, (process.stderr.columns ?? 100) - 40))}`
          )
        )
      : Effect.void
  const startedAt = new Date().toISOString()
  const reports = yield* runTasks(suite.tasks, wiring, {
    mode,
    prices: suite.prices,
    concurrency: flags.concurrency,
    onStart: (task) =>
      Effect.suspend(() => {
        running.add(task.spec.id)
        return bar()
      }),
    onDone: (report: TaskReport) =>
      Effect.suspend(() => {
        running.delete(report.id)
        done += 1
        return Effect.andThen(
          Effect.sync(() => process.stderr.write(`${tty ? "\r\u001b[K" : ""}${taskLine(report, done, total)}\n`)),
          bar()
        )
      })
  })
  if (tty) process.stderr.write("\r\u001b[K")

  const modes = new Set(suite.tasks.map((task) => modeOf(task, mode)))
  const report = reportOf(startedAt, modes.size === 1 ? ([...modes][0] ?? "replay") : "mixed", reports)
  const document = jsonText(encodeReport(report))
  if (Option.isSome(flags.out)) {
    const out = path.resolve(flags.out.value)
    yield* Effect.tryPromise({
      try: async () => {
        await fs.mkdir(out, { recursive: true })
        await fs.writeFile(path.join(out, "report.json"), `${document}\n`)
        await fs.writeFile(path.join(out, "report.html"), renderHtml(report))
      },
      catch: (error) => new ConfigInvalidError({ source: out, details: `cannot write the report: ${String(error)}` })
    })
  }
  if (flags.json) yield* printJson(document)
  else yield* Console.log(renderEvalReport(report))
  if (Option.isSome(flags.out)) yield* Console.error(`report: ${visible(path.resolve(flags.out.value, "report.html"))}`)

  const fallen = baseline === undefined ? [] : regressions(baseline, report)
  for (const line of fallen) yield* Console.error(`regression: ${visible(line)}`)
  const failed = baseline === undefined ? report.tasks.filter((task) => !task.passed).map((task) => task.id) : fallen
  yield* SettledExit.settle(failed.length === 0 ? 0 : 1)
  if (failed.length > 0) {
    return yield* new CommandFailed({
      reason: baseline === undefined ? `tasks not passed: ${failed.join(", ")}` : "below the baseline"
    })
  }
})
