/**
 * Why the documentation generator refused or could not document a target.
 */
import { Schema } from "effect"

export const DocTargetProblem = Schema.Literals(["invalid-parameters", "unsupported-language", "not-found"])

export class DocTargetError extends Schema.TaggedError<DocTargetError>()("DocTargetError", {
  target: Schema.String,
  problem: DocTargetProblem,
  detail: Schema.String
}) {
  override get message() {
    return `Cannot document ${this.target} (${this.problem}): ${this.detail}`
  }
}

/** A documentation change that would touch code, not only comments: it is refused. */
export class DocChangedCodeError extends Schema.TaggedError<DocChangedCodeError>()("DocChangedCodeError", {
  path: Schema.String,
  /** The first differing line of the code without comments (1-based). */
  line: Schema.Int,
  before: Schema.String,
  after: Schema.String
}) {
  override get message() {
    return `Documenting ${this.path} would change code, not only comments, at code line ${this.line}: ${JSON.stringify(this.before)} became ${JSON.stringify(this.after)}`
  }
}
