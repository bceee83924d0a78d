/**
 * The task format of `tamma-codegen eval`: a task is a folder with `task.json` (this schema),
 * `request.json` (a `CodeGenerationRequest`), `workspace/` (the project it runs on) and an
 * optional `cassette.jsonl` (the model's recorded or hand-written answers). A suite is a folder
 * of task folders, with an optional `suite.json` (the price table).
 */
import * as fs from "node:fs/promises"
import * as path from "node:path"
import { Effect, Schema } from "effect"
import { CodeGenerationRequest } from "../../core/domain/Request.ts"
import { ConfigInvalidError } from "../../core/errors.ts"

/** What a task exercises; the negative kinds are expected to fail with nothing written. */
export const TaskKind = Schema.Literals([
  "add-function",
  "new-module",
  "bug-fix",
  "refactor",
  "tests",
  "repair",
  "never-right",
  "insecure",
  "missing-text"
])
export type TaskKind = typeof TaskKind.Type

/** One command of the acceptance check: an argv (no shell), run in the committed tree. */
export class CheckCommand extends Schema.Class<CheckCommand>("@tamma/codegen/eval/CheckCommand")({
  /** `{node}` in an argument stands for the Node that runs the evaluation. */
  argv: Schema.NonEmptyArray(Schema.NonEmptyString),
  timeoutMs: Schema.Int.check(Schema.isGreaterThanOrEqualTo(1)).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed(120_000))
  )
}) {}

export class TaskSpec extends Schema.Class<TaskSpec>("@tamma/codegen/eval/TaskSpec")({
  id: Schema.String.check(Schema.isPattern(/^[a-z0-9][a-z0-9._-]*$/)),
  language: Schema.NonEmptyString,
  kind: TaskKind,
  /** `failed` for a negative task: it passes when the run fails and writes nothing. */
  expected: Schema.Literals(["success", "failed"]).pipe(
    Schema.withDecodingDefaultKey(Effect.succeed("success" as const))
  ),
  tags: Schema.Array(Schema.String).pipe(Schema.withDecodingDefaultKey(Effect.succeed([]))),
  description: Schema.optional(Schema.String),
  /** The acceptance check: commands run one after the other, each must exit 0. Empty for a negative task. */
  check: Schema.Array(CheckCommand).pipe(Schema.withDecodingDefaultKey(Effect.succeed([])))
}) {}

/** USD per million tokens, by model id prefix (the longest prefix wins). */
export const PriceTable = Schema.Record(
  Schema.String,
  Schema.Struct({ inputPerMillion: Schema.Number, outputPerMillion: Schema.Number })
)

export class SuiteSpec extends Schema.Class<SuiteSpec>("@tamma/codegen/eval/SuiteSpec")({
  /** Over the built-in table: what this suite's models cost. */
  prices: PriceTable.pipe(Schema.withDecodingDefaultKey(Effect.succeed({})))
}) {}

/** A task as loaded: its spec, request and where its parts are. */
export interface EvalTask {
  readonly dir: string
  readonly spec: TaskSpec
  readonly request: CodeGenerationRequest
  readonly workspace: string
  /** `cassette.jsonl` in the task folder, whether it exists or not (recording writes it). */
  readonly cassette: string
  readonly hasCassette: boolean
}

export interface EvalSuite {
  readonly tasks: ReadonlyArray<EvalTask>
  readonly prices: typeof PriceTable.Type
}

const decodeTask = Schema.decodeUnknownEffect(Schema.fromJsonString(TaskSpec), { errors: "all" })
const decodeSuite = Schema.decodeUnknownEffect(Schema.fromJsonString(SuiteSpec), { errors: "all" })
const decodeRequest = Schema.decodeUnknownEffect(Schema.fromJsonString(CodeGenerationRequest), { errors: "all" })

const statOf = (file: string) => Effect.promise(() => fs.stat(file).catch(() => undefined))

const readText = (file: string) =>
  Effect.tryPromise({
    try: () => fs.readFile(file, "utf8"),
    catch: (error) =>
      new ConfigInvalidError({ source: file, details: error instanceof Error ? error.message : String(error) })
  })

/** Reads and checks one task folder. */
export const loadTask = Effect.fn("Eval.loadTask")(function* (dir: string) {
  const invalid = (file: string) => (error: { readonly message: string }) =>
    new ConfigInvalidError({ source: path.join(dir, file), details: error.message })
  const spec = yield* Effect.flatMap(readText(path.join(dir, "task.json")), (text) =>
    decodeTask(text).pipe(Effect.mapError(invalid("task.json")))
  )
  const request = yield* Effect.flatMap(readText(path.join(dir, "request.json")), (text) =>
    decodeRequest(text).pipe(Effect.mapError(invalid("request.json")))
  )
  const workspace = path.join(dir, "workspace")
  if (!(yield* statOf(workspace))?.isDirectory()) {
    return yield* new ConfigInvalidError({ source: workspace, details: "a task needs a workspace/ folder" })
  }
  if (request.language !== spec.language) {
    return yield* new ConfigInvalidError({
      source: path.join(dir, "request.json"),
      details: `its language ${request.language} is not the task's ${spec.language}`
    })
  }
  if (spec.expected === "success" && spec.check.length === 0) {
    return yield* new ConfigInvalidError({
      source: path.join(dir, "task.json"),
      details: "a task expected to succeed needs a check"
    })
  }
  const cassette = path.join(dir, "cassette.jsonl")
  const hasCassette = (yield* statOf(cassette))?.isFile() === true
  return { dir, spec, request, workspace, cassette, hasCassette } satisfies EvalTask
})

/**
 * The tasks of the folders given: a folder with `task.json` is one task, any other a suite whose
 * sub-folders holding `task.json` are its tasks. `glob` keeps the tasks whose id matches.
 */
export const loadSuite = Effect.fn("Eval.loadSuite")(function* (dirs: ReadonlyArray<string>, glob?: string) {
  const tasks: Array<EvalTask> = []
  let prices: typeof PriceTable.Type = {}
  for (const given of dirs) {
    const dir = path.resolve(given)
    if (!(yield* statOf(dir))?.isDirectory()) {
      return yield* new ConfigInvalidError({ source: dir, details: "is not a folder" })
    }
    if (yield* statOf(path.join(dir, "task.json"))) {
      tasks.push(yield* loadTask(dir))
      continue
    }
    const suiteFile = path.join(dir, "suite.json")
    if (yield* statOf(suiteFile)) {
      const suite = yield* Effect.flatMap(readText(suiteFile), (text) =>
        decodeSuite(text).pipe(
          Effect.mapError((error) => new ConfigInvalidError({ source: suiteFile, details: error.message }))
        )
      )
      prices = { ...prices, ...suite.prices }
    }
    const entries = yield* Effect.promise(() => fs.readdir(dir, { withFileTypes: true }))
    const found = entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(dir, entry.name))
    let any = false
    for (const candidate of found.sort()) {
      if (!(yield* statOf(path.join(candidate, "task.json")))) continue
      any = true
      tasks.push(yield* loadTask(candidate))
    }
    if (!any) return yield* new ConfigInvalidError({ source: dir, details: "holds no task (no */task.json)" })
  }
  const seen = new Map<string, string>()
  for (const task of tasks) {
    const other = seen.get(task.spec.id)
    if (other !== undefined) {
      return yield* new ConfigInvalidError({
        source: task.dir,
        details: `task id ${task.spec.id} is also the id of ${other}`
      })
    }
    seen.set(task.spec.id, task.dir)
  }
  const selected = glob === undefined ? tasks : tasks.filter((task) => path.matchesGlob(task.spec.id, glob))
  if (selected.length === 0) {
    return yield* new ConfigInvalidError({ source: dirs.join(" "), details: `no task id matches ${glob ?? "*"}` })
  }
  return { tasks: selected, prices } satisfies EvalSuite
})
