/**
 * What the CLI shows a person: progress lines on stderr, the result with its diffs on stdout.
 */
import { Console, Effect } from "effect"
import type { ProgressEvent } from "../core/domain/Progress.ts"
import type { CodeGenerationResult } from "../core/domain/Result.ts"

const useColor = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text)
export const dim = paint(2)
export const red = paint(31)
export const green = paint(32)
export const yellow = paint(33)
export const cyan = paint(36)
export const bold = paint(1)

/** One line on stderr per progress event worth telling; model text is counted, not shown. */
export const renderProgress = (event: ProgressEvent): Effect.Effect<void> => {
  switch (event._tag) {
    case "RunStarted":
      return Console.error(`${bold("▶")} run ${event.runId}: ${event.taskType} (${event.language}) — ${event.title}`)
    case "StepFinished": {
      const mark = event.status === "done" ? green("✓") : event.status === "skipped" ? dim("–") : red("✗")
      const detail = event.detail === undefined ? "" : dim(` ${event.detail}`)
      return Console.error(`  ${mark} ${event.step.padEnd(20)} ${dim(`${Math.round(event.durationMs)} ms`)}${detail}`)
    }
    case "QualityChecked":
      return Console.error(`    ${dim("quality")} ${event.path}: ${event.score.toFixed(2)} (${event.issues} issue(s))`)
    case "FileStaged":
      return Console.error(`    ${dim("staged")} ${event.action} ${event.path}`)
    case "Committed":
      return Console.error(`  ${green("●")} committed ${event.sha.slice(0, 12)} on ${event.branch}`)
    case "RunFinished":
      return Console.error(
        `${event.status === "success" ? green("■") : red("■")} ${event.status} in ${Math.round(event.durationMs)} ms`
      )
    default:
      return Effect.void
  }
}

/**
 * `renderProgress` plus the model's answers as they arrive: on a terminal, a line that counts the
 * characters received and is replaced by the next progress line; elsewhere, the total of a step
 * is told once, when the step ends.
 */
export const progressRenderer = (live: boolean = process.stderr.isTTY === true) => {
  const received = new Map<string, number>()
  let showing = false
  const clear = Effect.sync(() => {
    if (showing) process.stderr.write("\r\u001b[K")
    showing = false
  })
  return (event: ProgressEvent): Effect.Effect<void> => {
    if (event._tag === "TokensReceived") {
      received.set(event.provider, (received.get(event.provider) ?? 0) + event.text.length)
      if (!live) return Effect.void
      const total = received.get(event.provider) ?? 0
      return Effect.sync(() => {
        process.stderr.write(
          `\r\u001b[K    ${dim(`${event.provider}: ${total.toLocaleString("en")} characters received`)}`
        )
        showing = true
      })
    }
    if (event._tag !== "StepFinished" || received.size === 0) return Effect.andThen(clear, renderProgress(event))
    const answered = [...received].map(
      ([provider, chars]) => `${chars.toLocaleString("en")} characters from ${provider}`
    )
    received.clear()
    const detail = [event.detail, ...answered].filter((part) => part !== undefined).join("; ")
    return Effect.andThen(clear, renderProgress({ ...event, detail }))
  }
}

const colorDiff = (diff: string): string =>
  diff
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

/** The result as a person reads it: diffs, quality per file, suggestions, the commit. */
export const renderResult = (result: CodeGenerationResult): string => {
  const out: Array<string> = []
  for (const file of result.files) {
    out.push(bold(`${file.action} ${file.path}`) + dim(` (${file.language}, quality ${file.quality.score.toFixed(2)})`))
    out.push(colorDiff(file.diff.trimEnd()))
    for (const issue of file.quality.issues) {
      out.push(`  ${yellow(issue.severity)} ${issue.line}:${issue.column} ${issue.rule} ${issue.message}`)
    }
    out.push("")
  }
  out.push(`${bold("quality")} ${result.quality.score.toFixed(2)} over ${result.files.length} file(s)`)
  const tests = result.tests
  if (tests !== undefined) {
    const counts = `${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`
    out.push(
      `${bold("tests")} ${tests.framework}: ${tests.status === "passed" ? green(counts) : red(`${tests.status}: ${counts}`)}`
    )
    for (const failure of tests.cases.filter((c) => c.status === "failed")) {
      const where =
        failure.file === undefined
          ? ""
          : dim(` (${failure.file}${failure.line === undefined ? "" : `:${failure.line}`})`)
      out.push(`  ${red("✗")} ${failure.name}${where}`)
      if (failure.message !== undefined) out.push(`    ${failure.message.split("\n").slice(0, 4).join("\n    ")}`)
    }
  }
  const template = result.metadata.template
  if (template !== undefined) out.push(`${bold("template")} ${template.id}@${template.version}`)
  for (const suggestion of result.suggestions) out.push(`${bold("suggestion")} ${suggestion}`)
  for (const error of result.errors) out.push(`${red("error")} ${error.tag}: ${error.message}`)
  if (result.commit !== undefined) {
    out.push(`${bold("branch")} ${result.commit.branch}`)
    out.push(`${bold("commit")} ${result.commit.sha}`)
  } else if (result.metadata.dryRun) {
    out.push(dim("dry run: nothing was written"))
  } else if (result.applied) {
    out.push(dim("files written, not committed"))
  }
  out.push(`${bold("status")} ${result.status === "success" ? green(result.status) : red(result.status)}`)
  return out.join("\n")
}
