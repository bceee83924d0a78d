/**
 * What `eval` shows a person: a progress bar (or a plain line per task when stderr is not a
 * terminal) and the table of tasks and totals at the end. Task ids, verdicts and messages come
 * from the suite and the model: they go through `visible`.
 */
import type { EvalReport, TaskReport, Totals } from "../plugins/eval/EvalReport.ts"
import { bold, dim, green, red } from "./Render.ts"
import { visible } from "./TerminalText.ts"

const percent = (share: number) => `${(share * 100).toFixed(1)}%`
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** A progress bar of `done` out of `total` tasks, `width` cells wide. */
export const progressBar = (done: number, total: number, width = 24): string => {
  const filled = total === 0 ? width : Math.round((done / total) * width)
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${done}/${total}`
}

/** The line of one finished task. */
export const taskLine = (report: TaskReport, done: number, total: number): string =>
  `[${done}/${total}] ${report.passed ? green("✓") : red("✗")} ${visible(report.id)} ${dim(
    `${report.outcome}, ${report.iterations.length} round(s), ${report.calls} call(s), ${seconds(report.wallMs)}`
  )}${report.passed ? "" : ` — ${visible(report.verdict.split("\n")[0] ?? "")}`}`

const pad = (cells: ReadonlyArray<string>, widths: ReadonlyArray<number>) =>
  cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ")

const table = (rows: ReadonlyArray<ReadonlyArray<string>>): Array<string> => {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)))
  return rows.map((row) => pad(row, widths).trimEnd())
}

const totalsCells = (label: string, totals: Totals) => [
  label,
  `${totals.passed}/${totals.tasks}`,
  percent(totals.successRate),
  percent(totals.meanQuality),
  seconds(totals.p50Ms),
  seconds(totals.p95Ms),
  totals.callsPerTask.toFixed(1),
  `${Math.round(totals.tokensInPerTask)}/${Math.round(totals.tokensOutPerTask)}`,
  `$${totals.costUsd.toFixed(4)}`,
  `${totals.security.critical}/${totals.security.high}/${totals.security.medium}/${totals.security.low}`
]

/** The table of tasks, then the totals overall and per language. */
export const renderEvalReport = (report: EvalReport): string => {
  const tasks = table([
    ["", "task", "language", "kind", "outcome", "check", "quality", "rounds", "calls", "tokens in/out", "time"],
    ...report.tasks.map((task) => [
      task.passed ? "✓" : "✗",
      visible(task.id),
      visible(task.language),
      task.kind,
      task.outcome,
      task.check.status,
      task.quality === undefined ? "–" : percent(task.quality),
      String(task.iterations.length),
      String(task.calls),
      `${task.tokensIn}/${task.tokensOut}`,
      seconds(task.wallMs)
    ])
  ])
  const totals = table([
    ["", "passed", "success", "quality", "p50", "p95", "calls/task", "tokens/task", "cost", "security c/h/m/l"],
    totalsCells("all", report.totals),
    ...Object.entries(report.languages).map(([language, totals]) => totalsCells(visible(language), totals))
  ])
  const failures = report.tasks
    .filter((task) => !task.passed)
    .map((task) => `${red("✗")} ${visible(task.id)}: ${visible(task.verdict)}`)
  return [
    bold(tasks[0] ?? ""),
    ...tasks.slice(1),
    "",
    bold(totals[0] ?? ""),
    ...totals.slice(1),
    ...(failures.length === 0 ? [] : ["", ...failures])
  ].join("\n")
}
