/**
 * What the CLI shows a person: progress lines on stderr, the result with its diffs on stdout.
 * Every string that comes from a model, a request or a workspace file goes through `visible`
 * before it is painted: the only escape sequences that reach the terminal are our own colours.
 */
import { Console, Effect } from "effect"
import type { ProgressEvent } from "../core/domain/Progress.ts"
import type { CodeGenerationResult, RepairIteration } from "../core/domain/Result.ts"
import type { TestReport } from "../core/domain/TestReport.ts"
import { visible } from "./TerminalText.ts"

const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text)
export const dim = paint(2)
export const red = paint(31)
export const green = paint(32)
export const yellow = paint(33)
export const cyan = paint(36)
export const bold = paint(1)

const count = (n: number) => n.toLocaleString("en")

/** Continuation lines of a multi-line message, indented under its first line. */
const indented = (text: string, indent: string) => visible(text).split("\n").join(`\n${indent}`)

const stepMark = (status: "done" | "skipped" | "failed") =>
  status === "done" ? green("✓") : status === "skipped" ? dim("–") : red("✗")

/** One round of the repair loop, then its failures, one line each. */
const iterationLines = (round: Omit<RepairIteration, "index"> & { readonly index: number }): Array<string> => {
  const passed = round.outcome === "passed"
  const head =
    `  ${passed ? green("↻") : red("↻")} round ${round.index} ${dim(`(${visible(round.reason)})`)}: ` +
    `${count(round.calls)} call(s), ${count(round.tokens)} tokens → ${passed ? green(round.outcome) : red(round.outcome)}`
  return [head, ...round.failures.map((failure) => `      ${red("✗")} ${indented(failure, "        ")}`)]
}

/** One line on stderr per progress event worth telling (the model's text is handled by `progressRenderer`). */
export const progressLine = (event: ProgressEvent): string | undefined => {
  switch (event._tag) {
    case "RunStarted":
      return `${bold("▶")} run ${visible(event.runId)}: ${visible(event.taskType)} (${visible(event.language)}) — ${visible(event.title)}`
    case "StepFinished": {
      const detail = event.detail === undefined ? "" : dim(` ${visible(event.detail)}`)
      return `  ${stepMark(event.status)} ${visible(event.step).padEnd(20)} ${dim(`${Math.round(event.durationMs)} ms`)}${detail}`
    }
    case "QualityChecked":
      return `    ${dim("quality")} ${visible(event.path)}: ${event.score.toFixed(2)} (${event.issues} issue(s))`
    case "FileStaged":
      return `    ${dim("staged")} ${event.action} ${visible(event.path)}`
    case "IterationFinished":
      return iterationLines(event).join("\n")
    case "Committed":
      return `  ${green("●")} committed ${visible(event.sha.slice(0, 12))} on ${visible(event.branch)}`
    case "RunFinished":
      return `${event.status === "success" ? green("■") : red("■")} ${event.status} in ${Math.round(event.durationMs)} ms`
    default:
      return undefined
  }
}

/** `progressLine` on stderr. */
export const renderProgress = (event: ProgressEvent): Effect.Effect<void> => {
  const line = progressLine(event)
  return line === undefined ? Effect.void : Console.error(line)
}

/** The last characters of a model's answer on one line: newlines and tabs folded, controls visible. */
export const answerTail = (text: string, width: number): string => {
  const flat = visible(text.slice(-4 * width))
    .replace(/\n/g, "↵ ")
    .replace(/\t/g, " ")
  return flat.length <= width ? flat : `…${flat.slice(flat.length - width + 1)}`
}

/**
 * `renderProgress` plus the model's answers as they arrive. On a terminal, one dimmed line shows
 * what each provider has sent so far (its size and its last characters) and is replaced by the
 * next progress line; concurrent calls would interleave a full transcript beyond reading.
 * Elsewhere the total of a step is told once, when the step ends.
 */
export const progressRenderer = (
  live: boolean = process.stderr.isTTY === true,
  write: (text: string) => void = (text) => void process.stderr.write(text),
  columns: () => number = () => process.stderr.columns ?? 100
) => {
  const received = new Map<string, { chars: number; tail: string }>()
  let showing = false
  const clear = Effect.sync(() => {
    if (showing) write("\r\u001b[K")
    showing = false
  })
  const print = (line: string | undefined) =>
    Effect.andThen(
      clear,
      Effect.sync(() => {
        if (line !== undefined) write(`${line}\n`)
      })
    )
  return (event: ProgressEvent): Effect.Effect<void> => {
    if (event._tag === "TokensReceived") {
      const before = received.get(event.provider) ?? { chars: 0, tail: "" }
      const now = { chars: before.chars + event.text.length, tail: (before.tail + event.text).slice(-1000) }
      received.set(event.provider, now)
      if (!live) return Effect.void
      return Effect.sync(() => {
        const label = `${visible(event.provider)}: ${count(now.chars)} characters │ `
        const room = Math.max(10, columns() - label.length - 5)
        write(`\r\u001b[K    ${dim(`${label}${answerTail(now.tail, room)}`)}`)
        showing = true
      })
    }
    if (event._tag !== "StepFinished" || received.size === 0) return print(progressLine(event))
    const answered = [...received].map(([provider, { chars }]) => `${count(chars)} characters from ${provider}`)
    received.clear()
    const detail = [event.detail, ...answered].filter((part) => part !== undefined).join("; ")
    return print(progressLine({ ...event, detail }))
  }
}

const colorDiff = (diff: string): string =>
  visible(diff)
    .split("\n")
    .map((line) =>
      line.startsWith("+++") || line.startsWith("---")
        ? bold(line)
        : line.startsWith("+")
          ? green(line)
          : line.startsWith("-")
            ? red(line)
            : line.startsWith("@@")
              ? cyan(line)
              : line
    )
    .join("\n")

/** The tests' counts, each failing case with its message, and the runner's output when no case tells why. */
const testLines = (tests: TestReport): Array<string> => {
  const counts = `${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`
  const out = [
    `${bold("tests")} ${visible(tests.framework)}: ${tests.status === "passed" ? green(counts) : red(`${tests.status}: ${counts}`)}`
  ]
  const failures = tests.cases.filter((c) => c.status === "failed")
  for (const failure of failures) {
    const where =
      failure.file === undefined
        ? ""
        : dim(` (${visible(failure.file)}${failure.line === undefined ? "" : `:${failure.line}`})`)
    out.push(`  ${red("✗")} ${visible(failure.name)}${where}`)
    if (failure.message !== undefined)
      out.push(`    ${indented(failure.message.split("\n").slice(0, 4).join("\n"), "    ")}`)
  }
  if (tests.status !== "passed" && failures.length === 0 && tests.output.trim() !== "") {
    out.push(`  ${dim("output:")}`)
    out.push(`    ${indented(tests.output.trimEnd().split("\n").slice(-20).join("\n"), "    ")}`)
  }
  return out
}

/**
 * The result as a person reads it: the diffs (marked "not written" unless they were), quality per
 * file, the tests and their failures, the rounds of the repair loop, the errors, the commit.
 */
export const renderResult = (result: CodeGenerationResult): string => {
  const out: Array<string> = []
  const written = result.applied && !result.metadata.dryRun
  for (const file of result.files) {
    const where = dim(` (${visible(file.language)}, quality ${file.quality.score.toFixed(2)})`)
    const notWritten = written ? "" : result.status === "success" ? dim(" not written") : red(" not written")
    out.push(`${bold(`${file.action} ${visible(file.path)}`)}${where}${notWritten}`)
    out.push(colorDiff(file.diff.trimEnd()))
    for (const issue of file.quality.issues) {
      const cwe =
        issue.cwe === undefined
          ? ""
          : dim(` ${visible(issue.cwe)}${issue.level === undefined ? "" : ` ${issue.level}`}`)
      out.push(
        `  ${issue.severity === "error" ? red(issue.severity) : yellow(issue.severity)} ${issue.line}:${issue.column} ${visible(issue.rule)}${cwe} ${indented(issue.message, "    ")}`
      )
    }
    out.push("")
  }
  if (result.files.length > 0) {
    out.push(`${bold("quality")} ${result.quality.score.toFixed(2)} over ${result.files.length} file(s)`)
  }
  if (result.tests !== undefined) out.push(...testLines(result.tests))
  const testStep = result.metadata.steps.findLast((step) => step.step === "test")
  // A change that no test run checked must not read as tested: say why none ran.
  if (result.tests === undefined && result.files.length > 0 && testStep?.status === "skipped") {
    out.push(`${bold("tests")} ${yellow(`not run: ${visible(testStep.detail ?? "skipped")}`)}`)
  }
  if (result.iterations.length > 0) {
    out.push(bold("rounds"))
    for (const round of result.iterations) out.push(...iterationLines(round))
  }
  const template = result.metadata.template
  if (template !== undefined) out.push(`${bold("template")} ${visible(template.id)}@${visible(template.version)}`)
  for (const suggestion of result.suggestions) out.push(`${bold("suggestion")} ${indented(suggestion, "  ")}`)
  for (const error of result.errors) out.push(`${red("error")} ${visible(error.tag)}: ${indented(error.message, "  ")}`)
  if (result.commit !== undefined) {
    out.push(`${bold("branch")} ${visible(result.commit.branch)}`)
    out.push(`${bold("commit")} ${visible(result.commit.sha)}`)
  } else if (result.metadata.dryRun) {
    out.push(dim("dry run: nothing was written"))
  } else if (result.applied) {
    out.push(dim("files written, not committed"))
  } else if (result.status !== "success") {
    out.push(dim("nothing was written"))
  }
  out.push(`${bold("status")} ${result.status === "success" ? green(result.status) : red(result.status)}`)
  return out.join("\n")
}

/** The template ranking of `--explain`; ids and reasons come from template packs, some the workspace's own. */
export const renderRanking = (
  ranking: ReadonlyArray<{
    readonly id: string
    readonly version: string
    readonly score: number
    readonly reasons: ReadonlyArray<string>
  }>
): string =>
  [
    "template ranking:",
    ...ranking.map(
      (candidate) =>
        `  ${candidate.score.toFixed(1).padStart(5)} ${visible(candidate.id)}@${visible(candidate.version)}  ${visible(candidate.reasons.join("; "))}`
    )
  ].join("\n")
