/**
 * What a run leaves on disk under `.tamma/`: the write-ahead journal of an apply in progress
 * (`journal/<runId>/`) and, once the run finished, its record (`runs/<runId>.json`) that
 * `rollback` works from. Both are decoded with these schemas, never trusted as they are.
 */
import { createHash, randomBytes } from "node:crypto"
import * as Schema from "effect/Schema"

/** The sha-256 of a file's content, or `absent` for a file that does not exist. */
export const hashContent = (content: string | undefined): string =>
  content === undefined ? "absent" : createHash("sha256").update(content).digest("hex")

/** A sortable, unique run id: UTC timestamp and random suffix (the same shape as the pipeline's). */
export const makeRunId = (now: number): string =>
  `${new Date(now).toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}-${randomBytes(3).toString("hex")}`

/** One file of a journal: its content before the run and the content the run writes (absent: none). */
export class JournalFile extends Schema.Class<JournalFile>("@tamma/codegen/JournalFile")({
  path: Schema.String,
  before: Schema.optional(Schema.String),
  after: Schema.optional(Schema.String)
}) {}

/** The intent of an apply, durable before the first file of the workspace changes. */
export class Journal extends Schema.Class<Journal>("@tamma/codegen/Journal")({
  runId: Schema.String,
  startedAt: Schema.Number,
  summary: Schema.String,
  files: Schema.Array(JournalFile),
  /** Workspace-relative folders that did not exist: a restore removes them again when empty. */
  createdFolders: Schema.Array(Schema.String)
}) {}

/** Written before the branch is created, so that a crash at any later instant can undo it. */
export class BranchNote extends Schema.TaggedClass<BranchNote>()("Branch", {
  branch: Schema.String,
  /** `undefined`: HEAD was detached at `previousHead`. */
  previousBranch: Schema.optional(Schema.String),
  /** `undefined`: the repository had no commit yet. */
  previousHead: Schema.optional(Schema.String)
}) {}

/** Written once the commit exists. */
export class CommitNote extends Schema.TaggedClass<CommitNote>()("Commit", { sha: Schema.String }) {}

export const JournalNote = Schema.Union([BranchNote, CommitNote])
export type JournalNote = typeof JournalNote.Type

export const JournalNotes = Schema.Array(JournalNote)

/** A journal found on disk, with the notes added to it and whether its run had finished. */
export interface OpenJournal {
  readonly journal: Journal
  readonly notes: ReadonlyArray<JournalNote>
  /** The run record exists: the run completed and only the journal's removal was missing. */
  readonly finished: boolean
}

/** One file of a finished run: hashes to detect later edits, the before content to restore. */
export class RunFile extends Schema.Class<RunFile>("@tamma/codegen/RunFile")({
  path: Schema.String,
  beforeHash: Schema.String,
  afterHash: Schema.String,
  before: Schema.optional(Schema.String)
}) {}

/**
 * Milliseconds since the epoch that a `Date` can hold: a record is a file of the workspace, and
 * any other number (1e300, NaN) makes `toISOString` throw where the record is shown.
 */
const Timestamp = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 8.64e15 }))

/** `.tamma/runs/<runId>.json`: what an applied run changed, enough to undo it. */
export class RunRecord extends Schema.Class<RunRecord>("@tamma/codegen/RunRecord")({
  runId: Schema.String,
  startedAt: Timestamp,
  finishedAt: Timestamp,
  summary: Schema.String,
  files: Schema.Array(RunFile),
  branch: Schema.optional(Schema.String),
  previousBranch: Schema.optional(Schema.String),
  previousHead: Schema.optional(Schema.String),
  commit: Schema.optional(Schema.String),
  /** The run that undid this one (`tamma-codegen rollback`). */
  rolledBackBy: Schema.optional(Schema.String)
}) {}

export const decodeJournalJson = Schema.decodeUnknownEffect(Schema.fromJsonString(Journal))
export const encodeJournalJson = Schema.encodeSync(Schema.fromJsonString(Journal))
export const decodeNotesJson = Schema.decodeUnknownEffect(Schema.fromJsonString(JournalNotes))
export const encodeNotesJson = Schema.encodeSync(Schema.fromJsonString(JournalNotes))
export const decodeRunRecordJson = Schema.decodeUnknownEffect(Schema.fromJsonString(RunRecord))
export const encodeRunRecordJson = Schema.encodeSync(Schema.fromJsonString(RunRecord))

/** The record of a journal's run once it completed with `notes`. */
export const recordOf = (journal: Journal, notes: ReadonlyArray<JournalNote>, finishedAt: number): RunRecord => {
  const branch = notes.find((note): note is BranchNote => note._tag === "Branch")
  const commit = notes.find((note): note is CommitNote => note._tag === "Commit")
  return new RunRecord({
    runId: journal.runId,
    startedAt: journal.startedAt,
    finishedAt,
    summary: journal.summary,
    files: journal.files.map(
      (file) =>
        new RunFile({
          path: file.path,
          beforeHash: hashContent(file.before),
          afterHash: hashContent(file.after),
          before: file.before
        })
    ),
    branch: commit === undefined ? undefined : branch?.branch,
    previousBranch: commit === undefined ? undefined : branch?.previousBranch,
    previousHead: commit === undefined ? undefined : branch?.previousHead,
    commit: commit?.sha
  })
}
