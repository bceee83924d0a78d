/**
 * The typed errors of the pipeline. Each carries what a caller needs to act on it.
 */
// A deep import: the CLI loads this module at start-up, before any plugin.
import * as Schema from "effect/Schema"
import { CompileDiagnostic, describeDiagnostic } from "./domain/CompileReport.ts"

export class RequestInvalidError extends Schema.TaggedError<RequestInvalidError>()("RequestInvalidError", {
  source: Schema.String,
  details: Schema.String
}) {
  override get message() {
    return `Request ${this.source} is invalid:\n${this.details}`
  }
}

export class ConfigInvalidError extends Schema.TaggedError<ConfigInvalidError>()("ConfigInvalidError", {
  source: Schema.String,
  details: Schema.String
}) {
  override get message() {
    return `Config ${this.source} is invalid:\n${this.details}`
  }
}

export class TemplateNotFoundError extends Schema.TaggedError<TemplateNotFoundError>()("TemplateNotFoundError", {
  id: Schema.String,
  version: Schema.optional(Schema.String),
  reason: Schema.optional(Schema.String)
}) {
  override get message() {
    const ref = this.version === undefined ? this.id : `${this.id}@${this.version}`
    return `Template not found: ${ref}${this.reason === undefined ? "" : ` (${this.reason})`}`
  }
}

/** One problem a static check found in a template. */
export class TemplateProblem extends Schema.Class<TemplateProblem>("@tamma/codegen/TemplateProblem")({
  file: Schema.String,
  rule: Schema.String,
  message: Schema.String,
  line: Schema.optional(Schema.Int),
  column: Schema.optional(Schema.Int)
}) {}

export class TemplateInvalidError extends Schema.TaggedError<TemplateInvalidError>()("TemplateInvalidError", {
  id: Schema.String,
  problems: Schema.Array(TemplateProblem)
}) {
  override get message() {
    const lines = this.problems.map(
      (p) => `  ${p.file}${p.line === undefined ? "" : `:${p.line}:${p.column ?? 0}`} [${p.rule}] ${p.message}`
    )
    return `Template ${this.id} is invalid:\n${lines.join("\n")}`
  }
}

export class TemplateRenderError extends Schema.TaggedError<TemplateRenderError>()("TemplateRenderError", {
  id: Schema.String,
  file: Schema.String,
  cause: Schema.String
}) {
  override get message() {
    return `Template ${this.id} failed to render ${this.file}: ${this.cause}`
  }
}

/** One parameter that did not validate. */
export class ParameterProblem extends Schema.Class<ParameterProblem>("@tamma/codegen/ParameterProblem")({
  parameter: Schema.String,
  message: Schema.String
}) {}

export class ParameterInvalidError extends Schema.TaggedError<ParameterInvalidError>()("ParameterInvalidError", {
  template: Schema.String,
  problems: Schema.Array(ParameterProblem)
}) {
  override get message() {
    const lines = this.problems.map((p) => `  ${p.parameter}: ${p.message}`)
    return `Parameters of template ${this.template} are invalid:\n${lines.join("\n")}`
  }
}

export const AIFailureReason = Schema.Literals([
  "auth",
  "rate-limit",
  "overloaded",
  "timeout",
  "bad-request",
  "invalid-response",
  "content-filtered",
  "context-too-long",
  "unavailable",
  "unknown",
  /** The answer outgrew the configured limit while it arrived; a retry would grow as large. */
  "answer-too-large",
  /** The provider answered with a server error (a 5xx that is neither overloaded nor a timeout). */
  "server",
  /** The answer broke off: the body stopped mid-read, or the stream ended before its last event. */
  "truncated"
])
export type AIFailureReason = typeof AIFailureReason.Type

/** Transient reasons: a 429, a 5xx, an overloaded server, a timeout, a dropped connection or answer. */
const retryableReasons: ReadonlySet<AIFailureReason> = new Set([
  "rate-limit",
  "overloaded",
  "timeout",
  "unavailable",
  "server",
  "truncated"
])

export class AIProviderError extends Schema.TaggedError<AIProviderError>()("AIProviderError", {
  provider: Schema.String,
  reason: AIFailureReason,
  detail: Schema.String,
  retryAfterMs: Schema.optional(Schema.Number)
}) {
  override get message() {
    return `AI provider ${this.provider} failed (${this.reason}): ${this.detail}`
  }
  /** Whether the same request may succeed if sent again: never a bad key or a bad request. */
  get isRetryable(): boolean {
    return retryableReasons.has(this.reason)
  }
}

export class ExtractionError extends Schema.TaggedError<ExtractionError>()("ExtractionError", {
  reason: Schema.String
}) {
  override get message() {
    return `Could not extract code from the model's answer: ${this.reason}`
  }
}

export class QualityGateError extends Schema.TaggedError<QualityGateError>()("QualityGateError", {
  score: Schema.Number,
  violations: Schema.Array(Schema.String)
}) {
  override get message() {
    return `Quality gate failed (score ${this.score.toFixed(2)}):\n${this.violations.map((v) => `  ${v}`).join("\n")}`
  }
}

export class QualityToolError extends Schema.TaggedError<QualityToolError>()("QualityToolError", {
  tool: Schema.String,
  path: Schema.String,
  cause: Schema.String
}) {
  override get message() {
    return `${this.tool} failed on ${this.path}: ${this.cause}`
  }
}

export class LanguageNotSupportedError extends Schema.TaggedError<LanguageNotSupportedError>()(
  "LanguageNotSupportedError",
  { language: Schema.String }
) {
  override get message() {
    return `No language pack handles ${this.language}`
  }
}

export class GeneratorNotFoundError extends Schema.TaggedError<GeneratorNotFoundError>()("GeneratorNotFoundError", {
  taskType: Schema.String
}) {
  override get message() {
    return `No generator serves task type ${this.taskType}`
  }
}

export class UnsafePathError extends Schema.TaggedError<UnsafePathError>()("UnsafePathError", {
  path: Schema.String,
  rule: Schema.String,
  detail: Schema.optional(Schema.String)
}) {
  override get message() {
    return `Unsafe path ${JSON.stringify(this.path)}: ${this.rule}${this.detail === undefined ? "" : ` (${this.detail})`}`
  }
}

export class FileConflictError extends Schema.TaggedError<FileConflictError>()("FileConflictError", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `File ${this.path} changed on disk during the run: ${this.detail}`
  }
}

export class FileSystemError extends Schema.TaggedError<FileSystemError>()("FileSystemError", {
  path: Schema.String,
  operation: Schema.String,
  cause: Schema.String
}) {
  override get message() {
    return `Could not ${this.operation} ${this.path}: ${this.cause}`
  }
}

export class WorkspaceError extends Schema.TaggedError<WorkspaceError>()("WorkspaceError", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `Workspace ${this.path}: ${this.detail}`
  }
}

export class WorkspaceLockedError extends Schema.TaggedError<WorkspaceLockedError>()("WorkspaceLockedError", {
  path: Schema.String,
  pid: Schema.optional(Schema.Int)
}) {
  override get message() {
    return `Workspace ${this.path} is locked by another run${this.pid === undefined ? "" : ` (pid ${this.pid})`}`
  }
}

export class GitError extends Schema.TaggedError<GitError>()("GitError", {
  operation: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `git ${this.operation} failed: ${this.detail}`
  }
}

export class TestRunError extends Schema.TaggedError<TestRunError>()("TestRunError", {
  framework: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `Could not run ${this.framework} tests: ${this.detail}`
  }
}

export class TestsFailedError extends Schema.TaggedError<TestsFailedError>()("TestsFailedError", {
  framework: Schema.String,
  failed: Schema.Int,
  failures: Schema.Array(Schema.String),
  /** Why the tests did not verify the change when none failed (no test ran): said instead of a count of 0. */
  reason: Schema.optional(Schema.String)
}) {
  override get message() {
    const head =
      this.reason === undefined
        ? `${this.failed} ${this.framework} test(s) failed`
        : `${this.framework}: ${this.reason}`
    return `${head}:\n${this.failures.map((f) => `  ${f}`).join("\n")}`
  }
}

/** An edit of the model's answer that still does not apply once the repair loop has ended. */
export class EditFailedError extends Schema.TaggedError<EditFailedError>()("EditFailedError", {
  path: Schema.String,
  /** The SEARCH text (or hunk) that did not apply. */
  block: Schema.String,
  /** The closest region of the file, `startLine-endLine: text`, when there is one. */
  closest: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  override get message() {
    return `An edit of ${this.path} could not be applied: ${this.detail}${this.closest === undefined ? "" : `\nclosest region: ${this.closest}`}`
  }
}

/** A run whose final change is empty: the request was not addressed. */
export class NoChangeError extends Schema.TaggedError<NoChangeError>()("NoChangeError", {
  detail: Schema.String
}) {
  override get message() {
    return `The run changed nothing: ${this.detail}`
  }
}

/** The change does not compile (or type-check) once the repair loop has ended. */
export class CompileFailedError extends Schema.TaggedError<CompileFailedError>()("CompileFailedError", {
  tool: Schema.String,
  diagnostics: Schema.Array(CompileDiagnostic)
}) {
  override get message() {
    return `The change does not compile (${this.tool}):\n${this.diagnostics.map((d) => `  ${describeDiagnostic(d)}`).join("\n")}`
  }
}

/** A model's answer names a file outside the workspace or reserved (`../x`, `/etc/x`, `.git/x`): the run fails. */
export class UnsafeAnswerError extends Schema.TaggedError<UnsafeAnswerError>()("UnsafeAnswerError", {
  path: Schema.String,
  detail: Schema.String
}) {
  override get message() {
    return `The model's answer names an unsafe path ${JSON.stringify(this.path)}: ${this.detail}`
  }
}

/** A file a template would create already exists: bad input unless the request sets `force`. */
export class FileExistsError extends Schema.TaggedError<FileExistsError>()("FileExistsError", {
  path: Schema.String
}) {
  override get message() {
    return `${JSON.stringify(this.path)} already exists and the template would replace it whole; pass --force (options.force) to overwrite it`
  }
}

/** A language pack cannot place the tests of a file (a Go file without a package clause). */
export class TestLayoutError extends Schema.TaggedError<TestLayoutError>()("TestLayoutError", {
  target: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `Cannot place tests for ${this.target}: ${this.reason}`
  }
}

/**
 * The tests of a change cannot run because the runner they need is not installed where the
 * workspace's tests would find it: the work failed (exit 1) before anything was written.
 */
export class TestRunnerMissingError extends Schema.TaggedError<TestRunnerMissingError>()("TestRunnerMissingError", {
  framework: Schema.String,
  /** What is not installed: `vitest in the workspace's node_modules`, `go`, … */
  missing: Schema.Array(Schema.String),
  /** How to get it, or how to run without it. */
  remedy: Schema.String
}) {
  override get message() {
    return `Cannot run the ${this.framework} tests: ${this.missing.join(", ")} not installed. ${this.remedy}, or pass --no-run-tests to skip the tests`
  }
}

/**
 * The errors that mean the input was wrong — the request, the config, the template or its
 * parameters, a path, the workspace — so nothing ran and nothing was written: the CLI answers
 * exit 2. The one list of them; classify with `isBadInput`, never by a list of names.
 */
export const BadInput = Schema.Union([
  RequestInvalidError,
  ConfigInvalidError,
  TemplateNotFoundError,
  TemplateInvalidError,
  ParameterInvalidError,
  UnsafePathError,
  WorkspaceError,
  WorkspaceLockedError,
  LanguageNotSupportedError,
  FileExistsError
])
export type BadInput = typeof BadInput.Type

/** Whether `error` is one of the `BadInput` errors. */
export const isBadInput: (error: unknown) => error is BadInput = Schema.is(BadInput)

/** The tags of the `BadInput` errors, for errors that are data (a result's `{ tag, message }`). */
export const badInputTags: ReadonlyArray<string> = BadInput.members.map((member) => member.identifier)

/**
 * A generator plugin could not produce its output for a reason only it knows (a module with
 * nothing to test, documentation that would change code). The core cannot name plugin errors:
 * the plugin's own error is kept as `cause` for a caller that knows the plugin, and the run
 * reports its message.
 */
export class GeneratorFailedError extends Schema.TaggedError<GeneratorFailedError>()("GeneratorFailedError", {
  /** The generator's name, as registered. */
  generator: Schema.String,
  /** What went wrong, as the generator tells it. */
  reason: Schema.String,
  cause: Schema.Defect()
}) {
  override get message() {
    return this.reason
  }
}
