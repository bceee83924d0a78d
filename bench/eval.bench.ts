/**
 * The evaluation harness's overhead: tasks of the shipped suite run live against a model on
 * 127.0.0.1 that answers each call after 2 s with the task's cassette answer. Per task, the time
 * that is neither the model's answer time, nor the checks (the pipeline's format, lint, compile
 * and test steps, and the acceptance check): scratch repository, prompts, staging, commit, the
 * check's sandbox, against the task's wall time; target ≤ 5%.
 */
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as nodePath from "node:path"
import { fileURLToPath } from "node:url"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect, Exit, Schema, Scope } from "effect"
import { CodeGenConfig } from "../core/domain/Config.ts"
import type { TaskReport } from "../plugins/eval/EvalReport.ts"
import type { Bench, BenchRow } from "./Timing.ts"

const delayMs = 2000
const suite = nodePath.join(nodePath.dirname(fileURLToPath(import.meta.url)), "..", "examples", "eval")
/** One task a language, the kinds that run the change's tests and a repair round among them. */
const tasks = ["ts-repair", "py-add-function", "go-bug-fix", "rust-repair", "java-tests", "js-new-module"]

interface Entry {
  readonly when: string
  readonly text: string
  readonly finish: string
}

const entriesOf = (task: string): ReadonlyArray<Entry> =>
  fs
    .readFileSync(nodePath.join(suite, task, "cassette.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const entry = JSON.parse(line)
      return { when: entry.when, text: entry.response.text, finish: entry.response.finishReason ?? "stop" }
    })

/** An OpenAI-compatible server answering from the task's cassette, each answer after `delayMs`. */
const serve = async (entries: ReadonlyArray<Entry>) => {
  const used = new Set<Entry>()
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (chunk) => {
      body += chunk
    })
    req.on("end", () => {
      const messages: ReadonlyArray<{ content: string }> = JSON.parse(body).messages
      const matching = entries.filter((entry) => messages.some((m) => m.content.includes(entry.when)))
      const entry = matching.find((candidate) => !used.has(candidate)) ?? matching.at(-1)
      if (entry !== undefined) used.add(entry)
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(
          JSON.stringify({
            id: "bench",
            object: "chat.completion",
            model: "bench",
            choices: [
              { index: 0, message: { role: "assistant", content: entry?.text ?? "" }, finish_reason: entry?.finish }
            ],
            usage: { prompt_tokens: 400, completion_tokens: 100, total_tokens: 500 }
          })
        )
      }, delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => server.close() }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/**
 * Where a task's overhead went: the harness's own steps, template selection, the pipeline's other
 * steps less the model's answer time (prompts, parsing, staging, assessing), and what is left
 * (applying, committing, building the result, the check's sandbox beyond its commands).
 */
const phasesOf = (report: TaskReport): string => {
  const harness = report.harness ?? { scratchMs: 0, snapshotsMs: 0, prepareMs: 0, buildMs: 0 }
  const stepMs = (names: ReadonlyArray<string>) =>
    report.steps.filter((step) => names.includes(step.step)).reduce((sum, step) => sum + step.durationMs, 0)
  const select = stepMs(["select-template"])
  const commit = stepMs(["apply", "branch", "commit"])
  const modelSteps = Math.max(0, stepMs(["generate", "repair", "review"]) - report.modelMs)
  const other = stepMs(["prepare-context", "check-workspace", "assess"])
  const known =
    harness.scratchMs + harness.snapshotsMs + harness.prepareMs + harness.buildMs + select + modelSteps + other + commit
  return [
    `scratch repo ${seconds(harness.scratchMs)}`,
    `snapshots ${seconds(harness.snapshotsMs)}`,
    `config+model ${seconds(harness.prepareMs)}`,
    `build ${seconds(harness.buildMs)}`,
    `select-template ${seconds(select)}`,
    `generate/repair/review less model ${seconds(modelSteps)}`,
    `context+assess ${seconds(other)}`,
    `apply+branch+commit ${seconds(commit)}`,
    `rest ${seconds(report.overheadMs - known)}`
  ].join(", ")
}

const bench: Bench = async () => {
  const NodePipeline = await import("../presets/NodePipeline.ts")
  const { loadTask } = await import("../plugins/eval/EvalTask.ts")
  const { runTask } = await import("../plugins/eval/TaskRun.ts")
  const { warmDefaults, warmLanguages } = await import("../presets/WarmLayers.ts")
  const { preloadBuiltinPacks } = await import("../plugins/templates/store/FileTemplateStore.ts")
  const { loadScratchGit } = await import("../plugins/eval/ScratchRepository.ts")
  const rows: Array<BenchRow> = []
  const loaded = await Effect.runPromise(
    Effect.forEach(tasks, (id) => loadTask(nodePath.join(suite, id))).pipe(Effect.provide(NodeServices.layer))
  )
  // As `tamma-codegen eval` does: the pipeline's long-lived part is built once for the run, not
  // per task, and before the first task the built-in templates are read, isomorphic-git loaded,
  // and the formatters and linters of the tasks' languages loaded.
  const warmScope = Effect.runSync(Scope.make())
  const warmStarted = performance.now()
  const warm = Effect.tap(warmDefaults, (build) =>
    Effect.andThen(
      Effect.andThen(Effect.ignore(preloadBuiltinPacks()), loadScratchGit),
      warmLanguages(
        build,
        loaded.map((task) => task.spec.language)
      )
    )
  )
  const build = await Effect.runPromise(Scope.provide(warm, warmScope))
  const warmMs = performance.now() - warmStarted
  for (const task of loaded) {
    const id = task.spec.id
    const model = await serve(entriesOf(id))
    try {
      const config = Schema.decodeUnknownSync(CodeGenConfig)({
        provider: { name: "openai-compatible", model: "bench", baseUrl: model.url, split: "whole", stream: false }
      })
      const report = await Effect.runPromise(
        runTask(
          task,
          {
            pipelineLayer: (workspace, config, onProgress, ai) =>
              NodePipeline.layerUnlocked(workspace, config, { onProgress, ai }),
            aiLayer: NodePipeline.aiLayer,
            loadConfig: () => Effect.succeed(config)
          },
          { mode: "live", prices: {} },
          build
        ).pipe(Effect.provide(NodeServices.layer))
      )
      if (!report.passed) throw new Error(`${id} did not pass: ${report.verdict}`)
      rows.push({
        name: `${id}: overhead / wall`,
        oursMs: report.overheadMs,
        baselineMs: report.wallMs,
        target: 0.05,
        note: `${report.calls} call(s): model ${(report.modelMs / 1000).toFixed(1)} s, checks and tests ${(report.checksMs / 1000).toFixed(1)} s, acceptance check ${(report.check.durationMs / 1000).toFixed(1)} s`
      })
      rows.push({ name: `${id}: overhead by phase`, oursMs: report.overheadMs, baselineMs: 0, note: phasesOf(report) })
    } finally {
      model.close()
    }
  }
  await Effect.runPromise(Scope.close(warmScope, Exit.void))
  rows.push({
    name: "once per run: language packs, quality tools, built-in templates, languages' tools",
    oursMs: warmMs,
    baselineMs: 0,
    // Building them is cheap; what they load on first use (parsers, tool threads) is what the later tasks keep.
    note: `built before the first task, shared by all ${tasks.length}`
  })
  return rows
}

export default bench
