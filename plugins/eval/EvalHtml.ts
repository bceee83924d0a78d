/**
 * The evaluation report as one self-contained HTML page: the totals, then a row per task that
 * opens (with `<details>`, no script) on its diff, its repair rounds and its failures. Every text
 * comes from tasks, models and tools, so all of it is escaped; the page loads nothing.
 */
import type { EvalReport, TaskReport, Totals } from "./EvalReport.ts"

/** `text` safe inside an HTML element or a quoted attribute. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) =>
    char === "&" ? "&amp;" : char === "<" ? "&lt;" : char === ">" ? "&gt;" : char === '"' ? "&quot;" : "&#39;"
  )

const percent = (share: number) => `${(share * 100).toFixed(1)}%`
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

const totalsRow = (label: string, totals: Totals) =>
  `<tr><th>${escapeHtml(label)}</th><td>${totals.passed}/${totals.tasks}</td><td>${percent(totals.successRate)}</td>` +
  `<td>${percent(totals.meanQuality)}</td><td>${seconds(totals.p50Ms)}</td><td>${seconds(totals.p95Ms)}</td>` +
  `<td>${totals.callsPerTask.toFixed(1)}</td><td>${Math.round(totals.tokensInPerTask)}/${Math.round(totals.tokensOutPerTask)}</td>` +
  `<td>$${totals.costUsd.toFixed(4)}</td><td>${totals.security.critical}/${totals.security.high}/${totals.security.medium}/${totals.security.low}</td></tr>`

const diffLines = (diff: string) =>
  diff
    .split("\n")
    .map((line) => {
      const kind =
        line.startsWith("+") && !line.startsWith("+++")
          ? "add"
          : line.startsWith("-") && !line.startsWith("---")
            ? "del"
            : ""
      return kind === "" ? escapeHtml(line) : `<span class="${kind}">${escapeHtml(line)}</span>`
    })
    .join("\n")

const taskRow = (task: TaskReport) => {
  const rounds = task.iterations
    .map(
      (round) =>
        `<li>round ${round.index} (${escapeHtml(round.reason)}): ${round.calls} call(s), ${round.tokens} tokens → <b>${escapeHtml(round.outcome)}</b>` +
        (round.failures.length === 0
          ? ""
          : `<ul>${round.failures.map((failure) => `<li><pre>${escapeHtml(failure)}</pre></li>`).join("")}</ul>`) +
        "</li>"
    )
    .join("")
  const errors = task.errors
    .map((error) => `<li><b>${escapeHtml(error.tag)}</b> <pre>${escapeHtml(error.message)}</pre></li>`)
    .join("")
  const check =
    task.check.status === "skipped"
      ? "<p>check: skipped</p>"
      : `<p>check <code>${escapeHtml(task.check.command)}</code>: <b>${escapeHtml(task.check.status)}</b></p>` +
        (task.check.output === "" ? "" : `<pre>${escapeHtml(task.check.output)}</pre>`)
  return (
    `<tr class="${task.passed ? "pass" : "fail"}"><td colspan="9"><details><summary>` +
    `<span class="mark">${task.passed ? "✓" : "✗"}</span> <b>${escapeHtml(task.id)}</b> ` +
    `${escapeHtml(task.language)} · ${escapeHtml(task.kind)} · expected ${escapeHtml(task.expected)} · ${escapeHtml(task.outcome)} · ` +
    `quality ${task.quality === undefined ? "–" : percent(task.quality)} · ${task.iterations.length} round(s) · ` +
    `${task.calls} call(s) · ${seconds(task.wallMs)} — ${escapeHtml(task.verdict)}</summary>` +
    `${check}<h4>Rounds</h4><ol>${rounds || "<li>none</li>"}</ol>` +
    (errors === "" ? "" : `<h4>Failures</h4><ul>${errors}</ul>`) +
    `<h4>Diff</h4><pre class="diff">${task.diff === "" ? "(no change)" : diffLines(task.diff)}</pre>` +
    "</details></td></tr>"
  )
}

/** The whole page. */
export const renderHtml = (report: EvalReport): string => {
  const head =
    "<tr><th></th><th>passed</th><th>success</th><th>quality</th><th>p50</th><th>p95</th><th>calls/task</th><th>tokens in/out per task</th><th>cost</th><th>security c/h/m/l</th></tr>"
  const languages = Object.entries(report.languages)
    .map(([language, totals]) => totalsRow(language, totals))
    .join("")
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>tamma-codegen eval — ${escapeHtml(report.startedAt)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;width:100%}
th,td{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
tr.pass .mark{color:#080}tr.fail .mark{color:#c00}summary{cursor:pointer}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em;margin:.3em 0}.add{color:#080}.del{color:#c00}
</style></head><body>
<h1>tamma-codegen eval</h1>
<p>Started ${escapeHtml(report.startedAt)}, mode ${escapeHtml(report.mode)}.</p>
<h2>Totals</h2>
<table>${head}${totalsRow("all", report.totals)}${languages}</table>
<h2>Tasks</h2>
<table>${report.tasks.map(taskRow).join("\n")}</table>
</body></html>
`
}
